package dev.proxyme.consent;

import java.util.Map;
import java.util.Optional;

import org.keycloak.OAuthErrorException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OAuth2DeviceCodeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpoint;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantType;
import org.keycloak.protocol.oidc.grants.device.endpoints.DeviceEndpoint;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.proxyme.ProxymeException;
import dev.proxyme.clients.Agent;
import dev.proxyme.clients.AgentTerms;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.web.JsonBody;

/**
 * What an agent asks a user for in a standard flow (authorization code, device grant): the portal its {@code resource}
 * names (RFC 8707; without one, the agent's only portal), the requested scopes it is registered for (OpenID Connect's
 * own are not delegated), and the {@code purpose} it gave.
 */
public record StandardFlowTerms(Agent agent, ClientModel portal, Scopes scopes, String purpose, Envelope envelope) {

    public static final String RESOURCE_PARAM = OIDCLoginProtocol.RESOURCE_PARAM;
    public static final String PURPOSE_PARAM = "purpose";
    /** A task envelope the agent proposes, as JSON: {@code {"budget": 20, "routes": ["GET /reports/*"]}}. */
    public static final String ENVELOPE_PARAM = "envelope";

    /** Checks a request as the agent sent it; refusals carry RFC 6749 and RFC 8707 error codes. */
    public static StandardFlowTerms check(
            RealmModel realm, Agent agent, String resource, String scopeParam, String purpose, String envelope) {
        if (!agent.client().isEnabled()) {
            throw ProxymeException.badRequest(OAuthErrorException.UNAUTHORIZED_CLIENT, "The agent is disabled");
        }
        return new StandardFlowTerms(
                agent,
                AgentTerms.portalForResource(realm, agent, resource),
                requestedScopes(agent, scopeParam),
                Purpose.optional(purpose),
                JsonBody.envelopeOf(envelope));
    }

    /**
     * The request of a Keycloak authentication session, as the authorization endpoint stored it, or, in the device
     * flow, as the device authorization request did (Keycloak keeps its parameters with the device code).
     */
    public static StandardFlowTerms of(KeycloakSession session, AuthenticationSessionModel authSession) {
        Agent agent = Agent.of(authSession.getClient())
                .orElseThrow(
                        () -> ProxymeException.badRequest(OAuthErrorException.UNAUTHORIZED_CLIENT, "Not an agent"));
        Map<String, String> deviceParams = deviceRequestParams(session, authSession);
        String resource;
        String purpose;
        String envelope;
        if (deviceParams != null) {
            resource = deviceParams.get(RESOURCE_PARAM);
            purpose = deviceParams.get(PURPOSE_PARAM);
            envelope = deviceParams.get(ENVELOPE_PARAM);
        } else {
            resource = authSession.getClientNote(RESOURCE_PARAM);
            purpose = authSession.getClientNote(
                    AuthorizationEndpoint.LOGIN_SESSION_NOTE_ADDITIONAL_REQ_PARAMS_PREFIX + PURPOSE_PARAM);
            envelope = authSession.getClientNote(
                    AuthorizationEndpoint.LOGIN_SESSION_NOTE_ADDITIONAL_REQ_PARAMS_PREFIX + ENVELOPE_PARAM);
        }
        return check(
                authSession.getRealm(),
                agent,
                resource,
                authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM),
                purpose,
                envelope);
    }

    /** The additional parameters of the device authorization request the user is approving; null outside the device flow. */
    private static Map<String, String> deviceRequestParams(
            KeycloakSession session, AuthenticationSessionModel authSession) {
        if (!DeviceGrantType.isOAuth2DeviceVerificationFlow(authSession)) {
            return null;
        }
        OAuth2DeviceCodeModel deviceCode = DeviceEndpoint.getDeviceByUserCode(
                session,
                authSession.getRealm(),
                authSession.getClientNote(DeviceGrantType.OAUTH2_DEVICE_VERIFIED_USER_CODE));
        if (deviceCode == null) {
            throw ProxymeException.badRequest(OAuthErrorException.EXPIRED_TOKEN, "The device code has expired");
        }
        return Optional.ofNullable(deviceCode.getAdditionalParams()).orElse(Map.of());
    }

    /**
     * The delegable scopes requested; when the request names none (it omitted {@code scope}, or named OpenID Connect's
     * only, as an MCP client that found no scope to ask for does), the agent's registered scopes: the documented
     * default of RFC 6749 section 3.3, shown on the consent page like any request.
     */
    private static Scopes requestedScopes(Agent agent, String scopeParam) {
        Scopes scopes = Scopes.parse(scopeParam).intersection(agent.allowedScopes());
        if (scopes.isEmpty()) {
            scopes = agent.allowedScopes();
        }
        if (scopes.isEmpty()) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_SCOPE, "The agent is registered for no scope it could be delegated");
        }
        return scopes;
    }
}
