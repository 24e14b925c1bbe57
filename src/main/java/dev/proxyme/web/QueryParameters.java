package dev.proxyme.web;

import org.keycloak.OAuthErrorException;
import org.keycloak.services.ErrorResponseException;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.DelegationStatus;

/**
 * Typed query parameters of the admin API. JAX-RS builds them with {@code valueOf}; a value that is not one answers
 * 400 with an OAuth error (an {@code ErrorResponseException} from {@code valueOf} reaches the caller as it is, where
 * JAX-RS would answer a failed conversion with 404).
 */
public final class QueryParameters {

    private QueryParameters() {}

    /** A count or an epoch-milliseconds time: a whole number from 0. */
    public record NonNegative(long value) {
        public static NonNegative valueOf(String text) {
            try {
                long parsed = Long.parseLong(text);
                if (parsed >= 0) {
                    return new NonNegative(parsed);
                }
            } catch (NumberFormatException notANumber) {
                // answered below
            }
            throw badRequest(text, "a non-negative integer");
        }

        public int asInt() {
            return (int) Math.min(Integer.MAX_VALUE, value);
        }
    }

    /** {@code active}, {@code revoked} or {@code expired}, in any case. */
    public record Status(DelegationStatus value) {
        public static Status valueOf(String text) {
            return new Status(
                    DelegationStatus.parse(text).orElseThrow(() -> badRequest(text, "active, revoked or expired")));
        }
    }

    public static Long valueOrNull(NonNegative parameter) {
        return parameter == null ? null : parameter.value();
    }

    private static ErrorResponseException badRequest(String value, String expected) {
        return new ErrorResponseException(Refusals.asJson(
                ProxymeException.badRequest(
                        OAuthErrorException.INVALID_REQUEST,
                        "Query parameter value '" + ProxymeException.printable(value) + "' must be " + expected),
                null));
    }
}
