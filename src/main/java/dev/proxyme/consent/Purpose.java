package dev.proxyme.consent;

import org.keycloak.OAuthErrorException;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.DisplayText;

/**
 * What an agent tells the user it wants the access for: at most {@value #MAX_LENGTH} characters that read as what they
 * are ({@link DisplayText}), shown on the consent page as text. Required of the JSON operations' requests, optional in
 * the standard flows (the {@code purpose} parameter).
 */
public final class Purpose {

    public static final int MAX_LENGTH = 200;

    private Purpose() {}

    /** A purpose the agent must give. */
    public static String required(String purpose) {
        if (purpose == null || purpose.length() > MAX_LENGTH || !DisplayText.isPlain(purpose)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST,
                    "'purpose' is required: 1 to " + MAX_LENGTH + " printable characters shown to the user");
        }
        return purpose.strip();
    }

    /** A purpose the agent may give; none (or blank) is null. */
    public static String optional(String purpose) {
        if (purpose == null || purpose.isBlank()) {
            return null;
        }
        if (purpose.length() > MAX_LENGTH || !DisplayText.isPlain(purpose)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST,
                    "'purpose' must be at most " + MAX_LENGTH + " printable characters");
        }
        return purpose.strip();
    }
}
