package dev.proxyme.oauth;

import java.util.Optional;

import jakarta.ws.rs.core.MultivaluedMap;

import org.keycloak.OAuthErrorException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.request.AuthorizationEndpointRequest;
import org.keycloak.protocol.oidc.grants.device.clientpolicy.context.DeviceAuthorizationRequestContext;
import org.keycloak.protocol.oidc.par.clientpolicy.context.PushedAuthorizationRequestContext;
import org.keycloak.protocol.oidc.utils.OIDCResponseType;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.AuthorizationRequestContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

import dev.proxyme.ProxymeException;
import dev.proxyme.clients.Agent;
import dev.proxyme.consent.StandardFlowTerms;
import dev.proxyme.web.Refusals;

/**
 * Checks an agent's authorization request (authorization and device endpoints) before the user sees anything: PKCE
 * with S256 at the authorization endpoint, the {@code resource} names a portal the agent is registered for (RFC 8707 section 2: {@code invalid_target}), at least
 * one requested scope is one it may be delegated ({@code invalid_scope}), the {@code purpose} is short, printable text.
 * Keycloak's device endpoint keeps no {@code resource}: the policy keeps it with the device code's parameters, where
 * the consent page finds it. Clients that are not agents pass untouched.
 */
public class AgentRequestPolicy
        implements ClientPolicyExecutorProvider<ClientPolicyExecutorConfigurationRepresentation> {

    private final KeycloakSession session;

    public AgentRequestPolicy(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        try {
            checkEvent(context);
        } catch (ProxymeException refused) {
            throw Refusals.atClientPolicy(refused);
        }
    }

    private void checkEvent(ClientPolicyContext context) {
        switch (context.getEvent()) {
            case AUTHORIZATION_REQUEST -> {
                AuthorizationRequestContext authorization = (AuthorizationRequestContext) context;
                Optional<Agent> agent = Agent.of(authorization.getClient());
                if (agent.isPresent()) {
                    checkCodeFlow(
                            authorization.getAuthorizationEndpointRequest().getResponseType());
                    checkPkce(authorization.getAuthorizationEndpointRequest());
                    checkNoApplicationInitiatedAction(authorization.getAuthorizationEndpointRequest());
                    check(
                            agent.get(),
                            authorization.getAuthorizationEndpointRequest(),
                            authorization.getRequestParameters());
                }
            }
            case PUSHED_AUTHORIZATION_REQUEST -> {
                // PAR (RFC 9126): checked when pushed, with the parameters as the agent sent them.
                PushedAuthorizationRequestContext pushed = (PushedAuthorizationRequestContext) context;
                Optional<Agent> agent = Agent.of(pushed.getClient());
                if (agent.isPresent()) {
                    checkCodeFlow(pushed.getRequest().getResponseType());
                    checkPkce(pushed.getRequest());
                    checkNoApplicationInitiatedAction(pushed.getRequest());
                    check(agent.get(), pushed.getRequest(), pushed.getRequestParameters());
                }
            }
            case DEVICE_AUTHORIZATION_REQUEST -> {
                DeviceAuthorizationRequestContext device = (DeviceAuthorizationRequestContext) context;
                Optional<Agent> agent = Agent.of(session.getContext().getClient());
                if (agent.isPresent()) {
                    check(agent.get(), device.getRequest(), device.getRequestParameters());
                    String resource = device.getRequest().getResource();
                    if (resource != null) {
                        device.getRequest().getAdditionalReqParams().put(StandardFlowTerms.RESOURCE_PARAM, resource);
                    }
                }
            }
            case BACKCHANNEL_AUTHENTICATION_REQUEST,
                    BACKCHANNEL_TOKEN_REQUEST,
                    RESOURCE_OWNER_PASSWORD_CREDENTIALS_REQUEST,
                    JWT_AUTHORIZATION_GRANT -> {
                if (Agent.isAgent(session.getContext().getClient())) {
                    // No page of Proxyme's is shown in these grants: the user would never see what the agent asks for.
                    throw ProxymeException.badRequest(
                            OAuthErrorException.UNAUTHORIZED_CLIENT,
                            "Agents get a user's access only"
                                    + " through the user's approval on Proxyme's page: use the authorization code or device grant");
                }
            }
            default -> {}
        }
    }

    /**
     * Only {@code response_type=code}: the implicit and hybrid flows would put delegation tokens in the redirect's
     * fragment, where PKCE protects nothing, whatever switches an administrator turned on for the agent.
     */
    private static void checkCodeFlow(String responseType) {
        if (!OIDCResponseType.CODE.equals(responseType == null ? null : responseType.strip())) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.UNSUPPORTED_RESPONSE_TYPE,
                    "Agents use the authorization code flow only: response_type must be 'code'");
        }
    }

    /**
     * RFC 7636 with S256, as OAuth 2.1 and MCP require of every client: a code intercepted on its way back (a loopback
     * port taken by another program, say) is useless without the verifier. Keycloak checks the verifier at the token
     * endpoint for every code issued with a challenge.
     */
    private static void checkPkce(AuthorizationEndpointRequest request) {
        if (request.getCodeChallenge() == null || !"S256".equals(request.getCodeChallengeMethod())) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST,
                    "PKCE is required: send code_challenge with code_challenge_method S256");
        }
    }

    /**
     * No {@code kc_action}: an application-initiated action naming Proxyme's page makes Keycloak skip the page (it
     * declines to run it as such and drops it), so a code would come back for whatever this request asks, unseen. An
     * agent has no business starting the user's other actions either: it asks for access, nothing else.
     */
    private static void checkNoApplicationInitiatedAction(AuthorizationEndpointRequest request) {
        if (request.getAction() != null) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST,
                    "Agents cannot start application-initiated actions: remove kc_action");
        }
    }

    private void check(
            Agent agent, AuthorizationEndpointRequest request, MultivaluedMap<String, String> rawParameters) {
        // Both the value in effect (a request object's wins over the query's) and the raw one: Keycloak silently strips
        // control characters from additional parameters and drops long ones, so the raw value may be the one refused.
        for (String param : new String[] {StandardFlowTerms.PURPOSE_PARAM, StandardFlowTerms.ENVELOPE_PARAM}) {
            String raw = rawParameters == null ? null : rawParameters.getFirst(param);
            if (raw != null && !raw.equals(request.getAdditionalReqParams().get(param))) {
                check(agent, request, param, raw);
            }
        }
        StandardFlowTerms.check(
                session.getContext().getRealm(),
                agent,
                request.getResource(),
                request.getScope(),
                request.getAdditionalReqParams().get(StandardFlowTerms.PURPOSE_PARAM),
                request.getAdditionalReqParams().get(StandardFlowTerms.ENVELOPE_PARAM));
    }

    private void check(Agent agent, AuthorizationEndpointRequest request, String param, String raw) {
        StandardFlowTerms.check(
                session.getContext().getRealm(),
                agent,
                request.getResource(),
                request.getScope(),
                param.equals(StandardFlowTerms.PURPOSE_PARAM) ? raw : null,
                param.equals(StandardFlowTerms.ENVELOPE_PARAM) ? raw : null);
    }

    @Override
    public String getProviderId() {
        return AgentRequestPolicyFactory.PROVIDER_ID;
    }
}
