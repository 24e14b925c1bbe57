package dev.proxyme.token;

import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.representations.JsonWebToken;

import dev.proxyme.Proxyme;

/** Recognises the tokens Proxyme issues, before (and whatever) their signature says. */
public final class ProxymeTokens {

    private ProxymeTokens() {}

    /**
     * Whether a token is, or claims to be, a delegation token or an identity assertion. Read without verifying the
     * signature: a caller refusing such tokens loses nothing when a forged token only pretends to be one.
     */
    public static boolean isProxymeToken(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return false;
        }
        try {
            JsonWebToken token = new JWSInput(encoded).readJsonContent(JsonWebToken.class);
            return token != null
                    && (DelegationTokenId.delegationIdOf(token.getId()).isPresent()
                            || Proxyme.IDENTITY_ASSERTION_TYPE.equalsIgnoreCase(token.getType()));
        } catch (JWSInputException | RuntimeException notAJws) {
            return false;
        }
    }
}
