package dev.proxyme.token;

import java.util.Set;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.CorsErrorResponseException;

/**
 * Marks delegation tokens; it is not a grant anyone can use at the token endpoint (tokens come from Proxyme's
 * {@code delegate} operation).
 */
public class DelegationGrantType implements OAuth2GrantType {

    @Override
    public EventType getEventType() {
        return EventType.TOKEN_EXCHANGE;
    }

    @Override
    public Set<String> getTokenParameterNames() {
        return Set.of();
    }

    @Override
    public Response process(Context context) {
        throw new CorsErrorResponseException(context.getCors(), OAuthErrorException.UNSUPPORTED_GRANT_TYPE,
                "Delegation tokens are issued by the proxyme delegate endpoint", Response.Status.BAD_REQUEST);
    }

    /**
     * A delegation token speaks for a user only towards one portal. Keycloak's own Admin and Account REST APIs must
     * refuse it even when the user is an administrator, so it is allowed at none of the endpoints that ask.
     */
    @Override
    public boolean isTokenAllowed(KeycloakSession session, AccessToken token) {
        return false;
    }

    @Override
    public void close() {
    }
}
