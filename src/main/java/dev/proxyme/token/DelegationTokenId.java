package dev.proxyme.token;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.proxyme.Proxyme;

/**
 * The {@code jti} of a delegation token. Keycloak's token ids are {@code <context>:<raw id>}, where the 6-letter
 * context ends with the grant type's shortcut. Proxyme prefixes the raw id with the delegation id, so the delegation a
 * token belongs to is part of the signed token and can be read back during introspection without a database query.
 */
public final class DelegationTokenId {

    private static final Pattern DELEGATION_TOKEN_ID =
            Pattern.compile("^[a-z]{4}" + Pattern.quote(Proxyme.GRANT_SHORTCUT)
                    + ":([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.[^.]+$");

    private DelegationTokenId() {}

    /** Adds the delegation id to a token id that Keycloak encoded for Proxyme's grant type. */
    public static String withDelegation(String keycloakTokenId, String delegationId) {
        int separator = keycloakTokenId.indexOf(':');
        if (separator != 6 || !keycloakTokenId.startsWith(Proxyme.GRANT_SHORTCUT, 4)) {
            throw new IllegalArgumentException("Token id was not encoded for the Proxyme grant type");
        }
        return keycloakTokenId.substring(0, separator + 1) + delegationId + "."
                + keycloakTokenId.substring(separator + 1);
    }

    /**
     * Re-tags a token id Keycloak encoded for another grant (authorization code, refresh, device code) as a delegation
     * token's: the session and token types stay as Keycloak wrote them (its introspection reads the session type), the
     * grant becomes Proxyme's, so that Keycloak's own APIs refuse the token as they refuse every delegation token.
     */
    public static String retag(String keycloakTokenId, String delegationId) {
        int separator = keycloakTokenId.indexOf(':');
        if (separator != 6) {
            throw new IllegalArgumentException("Not a token id encoded by Keycloak");
        }
        return withDelegation(
                keycloakTokenId.substring(0, 4) + Proxyme.GRANT_SHORTCUT + keycloakTokenId.substring(separator),
                delegationId);
    }

    /** The delegation id of a delegation token's id; empty for any other token. */
    public static Optional<String> delegationIdOf(String tokenId) {
        if (tokenId == null) {
            return Optional.empty();
        }
        Matcher matcher = DELEGATION_TOKEN_ID.matcher(tokenId);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
