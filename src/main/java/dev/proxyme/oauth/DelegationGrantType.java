package dev.proxyme.oauth;

import java.util.Set;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeBase;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.CorsErrorResponseException;

import dev.proxyme.Proxyme;
import dev.proxyme.ProxymeException;
import dev.proxyme.clients.Agent;
import dev.proxyme.delegation.DelegatedToken;
import dev.proxyme.delegation.TokenIssuance;
import dev.proxyme.model.Scopes;
import dev.proxyme.web.Refusals;

/**
 * The grant delegation tokens carry, and an extension grant (RFC 6749 section 4.5) at the realm's token endpoint: an
 * agent, authenticated as at any grant, renews within a delegation it holds ({@code delegation_id}, optionally a
 * narrower {@code scope}) and gets a standard token response. The same rules as the {@code delegate} operation apply.
 */
public class DelegationGrantType extends OAuth2GrantTypeBase {

    public static final String DELEGATION_ID_PARAM = "delegation_id";

    @Override
    public Response process(Context context) {
        setContext(context);
        event.detail(Details.AUTH_METHOD, "proxyme_delegation");
        Agent agent = Agent.of(client)
                .orElseThrow(() -> refused(
                        OAuthErrorException.UNAUTHORIZED_CLIENT,
                        "Only agents may renew within a delegation",
                        Response.Status.BAD_REQUEST));
        String delegationId = formParams.getFirst(DELEGATION_ID_PARAM);
        if (delegationId == null || delegationId.isBlank()) {
            throw refused(
                    OAuthErrorException.INVALID_REQUEST,
                    "Missing parameter: " + DELEGATION_ID_PARAM,
                    Response.Status.BAD_REQUEST);
        }
        event.detail(Proxyme.CLAIM_DELEGATION_ID, delegationId);
        DelegatedToken grant;
        try {
            grant = new TokenIssuance(session, realm)
                    .renew(agent, delegationId, Scopes.parse(formParams.getFirst("scope")), null);
        } catch (ProxymeException refusal) {
            event.detail(Details.REASON, refusal.description());
            event.error(Refusals.tokenEndpointError(refusal));
            throw Refusals.atTokenEndpoint(cors, refusal);
        }
        AccessTokenResponse response = new AccessTokenResponse();
        response.setToken(grant.token().encoded());
        response.setTokenType(grant.token().tokenType());
        response.setExpiresIn(Math.max(0, grant.token().expiresAt() - Time.currentTime()));
        response.setScope(grant.token().scope());
        response.setOtherClaims(Proxyme.CLAIM_DELEGATION_ID, grant.delegation().id());
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        // The delegation service audits the token it issued (and reports it as an event): nothing more to send here.
        return cors.add(Response.ok(response, MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noStore)
                .header("Pragma", "no-cache"));
    }

    private CorsErrorResponseException refused(String error, String description, Response.Status status) {
        event.detail(Details.REASON, description);
        event.error(error);
        return new CorsErrorResponseException(cors, error, description, status);
    }

    @Override
    public EventType getEventType() {
        return EventType.TOKEN_EXCHANGE;
    }

    @Override
    public Set<String> getTokenParameterNames() {
        return Set.of(DELEGATION_ID_PARAM);
    }

    /**
     * A delegation token speaks for a user only towards one portal. Keycloak's own Admin and Account REST APIs must
     * refuse it even when the user is an administrator, so it is allowed at none of the endpoints that ask.
     */
    @Override
    public boolean isTokenAllowed(KeycloakSession session, AccessToken token) {
        return false;
    }
}
