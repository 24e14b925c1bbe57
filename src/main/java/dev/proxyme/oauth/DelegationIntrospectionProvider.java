package dev.proxyme.oauth;

import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProvider;
import org.keycloak.representations.AccessToken;

import dev.proxyme.Proxyme;
import dev.proxyme.token.DelegationClaims;
import dev.proxyme.token.DelegationTokenId;
import dev.proxyme.token.DelegationTokenVerifier;

/**
 * Keycloak's own access-token introspection (RFC 7662) with one more check for delegation tokens: the delegation the
 * token names must still exist and be active for the same user and agent. Keycloak's checks alone would keep a token
 * active whose delegation row is gone (deleted by an operator, restored from an older backup) as long as its id is not
 * in the revoked-token store; with this check the database is the authority, and the revoked-token store a second
 * line. Tokens that are not delegation tokens are introspected exactly as Keycloak does.
 */
public class DelegationIntrospectionProvider extends AccessTokenIntrospectionProvider<AccessToken> {

    public DelegationIntrospectionProvider(KeycloakSession session) {
        super(session);
    }

    @Override
    protected boolean introspectionChecks(String tokenStr) {
        return super.introspectionChecks(tokenStr) && checkNotAnIdentityAssertion() && checkDelegation();
    }

    /** The proxy's identity assertion is signed like an access token but never is one (Keycloak does not check typ). */
    private boolean checkNotAnIdentityAssertion() {
        if (!Proxyme.IDENTITY_ASSERTION_TYPE.equalsIgnoreCase(token.getType())) {
            return true;
        }
        transformedToken = null;
        eventBuilder.detail(Details.REASON, "An identity assertion is not an access token");
        eventBuilder.error(Errors.INVALID_TOKEN);
        return false;
    }

    private boolean checkDelegation() {
        if (DelegationTokenId.delegationIdOf(token.getId()).isEmpty()) {
            return true;
        }
        java.util.Optional<dev.proxyme.model.Delegation> active =
                DelegationTokenVerifier.activeDelegationOf(session, realm, token);
        if (active.isPresent()) {
            // Introspection re-runs the agent's mappers: roles must not reach the answer any more than the token.
            DelegationClaims.withoutUsersRoles(transformedToken);
            DelegationClaims.withEnvelope(transformedToken, active.get());
            return true;
        }
        // Keycloak adds the transformed token to the answer whenever it is set (the application/jwt variant):
        // an inactive answer must carry no claims.
        transformedToken = null;
        eventBuilder.detail(Details.REASON, "Delegation unknown or no longer active");
        eventBuilder.error(Errors.INVALID_TOKEN);
        return false;
    }
}
