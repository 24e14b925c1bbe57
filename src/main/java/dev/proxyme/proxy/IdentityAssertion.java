package dev.proxyme.proxy;

import org.keycloak.TokenCategory;
import org.keycloak.representations.JsonWebToken;

/**
 * The {@code X-Proxyme-Assertion} header: a short-lived JWT signed with the realm's access-token key, whose
 * {@code aud} is the portal, so the portal can check that the identity headers came from Proxyme (as Google IAP's
 * signed header does) against the realm's JWKS.
 */
public class IdentityAssertion extends JsonWebToken {

    public static final int LIFETIME_SECONDS = 60;

    @Override
    public TokenCategory getCategory() {
        // Signed like access tokens, with the realm's asymmetric key, verifiable with the realm's public JWKS.
        return TokenCategory.ACCESS;
    }
}
