package dev.proxyme.proxy;

import java.util.UUID;

import org.keycloak.TokenCategory;
import org.keycloak.representations.JsonWebToken;

import dev.proxyme.Proxyme;
import dev.proxyme.token.DelegationTokenVerifier.VerifiedToken;

/**
 * The {@code X-Proxyme-Assertion} header: a short-lived JWT signed with the realm's access-token key, whose
 * {@code aud} is the portal, so the portal can check that the identity headers came from Proxyme (as Google IAP's
 * signed header does) against the realm's JWKS. Its own {@code typ} keeps every Keycloak endpoint from taking it
 * for an access token.
 */
public class IdentityAssertion extends JsonWebToken {

    public static final int LIFETIME_SECONDS = 60;

    /** The assertion of a verified delegation token's user, for the portal, valid from now. */
    static IdentityAssertion of(String issuer, VerifiedToken valid, String portalClientId, int now) {
        IdentityAssertion assertion = new IdentityAssertion();
        assertion.id(UUID.randomUUID().toString());
        assertion.type(Proxyme.IDENTITY_ASSERTION_TYPE);
        assertion.issuer(issuer);
        assertion.audience(portalClientId);
        assertion.subject(valid.user().getId());
        assertion.issuedFor(valid.agent().getClientId());
        assertion.iat((long) now);
        assertion.exp((long) now + LIFETIME_SECONDS);
        assertion.getOtherClaims().put("preferred_username", valid.user().getUsername());
        if (valid.user().getEmail() != null) {
            assertion.getOtherClaims().put("email", valid.user().getEmail());
        }
        assertion.getOtherClaims().put("scope", valid.token().getScope());
        assertion
                .getOtherClaims()
                .put(Proxyme.CLAIM_DELEGATION_ID, valid.delegation().id());
        return assertion;
    }

    @Override
    public TokenCategory getCategory() {
        // Signed like access tokens, with the realm's asymmetric key, verifiable with the realm's public JWKS.
        return TokenCategory.ACCESS;
    }
}
