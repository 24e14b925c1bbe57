package dev.proxyme.api;

import java.io.InputStream;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.api.representation.DelegateRequest;
import dev.proxyme.api.representation.DelegationTokenResponse;
import dev.proxyme.consent.ConsentService;
import dev.proxyme.delegation.DelegationService;
import dev.proxyme.delegation.TrustedBackends;
import dev.proxyme.model.Actor;
import dev.proxyme.model.Agent;
import dev.proxyme.web.Attempt;
import dev.proxyme.web.Callers;
import dev.proxyme.web.DPoPProofs;
import dev.proxyme.web.JsonBody;
import dev.proxyme.web.Responses;

/**
 * {@code POST delegate}: a token under a delegation. A trusted backend vouches for its user's consent and may create
 * the delegation; an agent renews within one it holds, or collects the outcome of a request it made.
 */
public class DelegateResource {

    private final KeycloakSession session;
    private final RealmModel realm;

    public DelegateResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response delegate(InputStream body) {
        Attempt attempt = new Attempt(session, EventType.TOKEN_EXCHANGE, Attempt.Challenge.CLIENT);
        return attempt.run(() -> {
            ClientModel caller = Callers.authenticateClient(session, attempt.event());
            Agent callingAgent = Agent.of(caller).orElse(null);
            if (callingAgent != null) {
                attempt.actor(Actor.agent(caller.getClientId())).agent(caller.getClientId());
            } else if (TrustedBackends.isTrustedBackend(session, realm, caller)) {
                attempt.actor(Actor.backend(caller.getClientId()));
            } else {
                attempt.actor(Actor.client(caller.getClientId()));
                throw ProxymeException.forbidden(
                        OAuthErrorException.UNAUTHORIZED_CLIENT,
                        "Only agents and trusted backends may obtain delegation tokens");
            }

            if (callingAgent != null) {
                DPoPProofs.acceptForThisRequest(session);
            }
            DelegateRequest request = DelegateRequest.from(JsonBody.read(session, body));
            DelegationService.Grant grant = callingAgent != null
                    ? delegateAsAgent(attempt, callingAgent, request)
                    : delegateAsBackend(attempt, caller, request);
            return Responses.json(Response.Status.OK, DelegationTokenResponse.of(grant));
        });
    }

    private DelegationService.Grant delegateAsAgent(Attempt attempt, Agent agent, DelegateRequest request) {
        if (request.agentId() != null && !request.agentId().equals(agent.clientId())) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED, "An agent can only obtain tokens for itself");
        }
        if (request.requestId() != null) {
            return new ConsentService(session, realm).poll(agent, request.requestId());
        }
        DelegationService service = new DelegationService(session, realm);
        if (request.delegationId() != null) {
            attempt.delegation(request.delegationId());
            return service.renew(agent, request.delegationId(), request.scopes(), request.portal());
        }
        UserModel user = userOf(request);
        attempt.user(user.getId());
        if (request.scopes() == null) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST, "'scopes' or 'delegation_id' is required");
        }
        return service.renew(agent, user, request.scopes(), request.portal());
    }

    private DelegationService.Grant delegateAsBackend(Attempt attempt, ClientModel backend, DelegateRequest request) {
        if (request.agentId() == null) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "'agent_id' is required");
        }
        Agent agent = Agent.of(realm.getClientByClientId(request.agentId()))
                .orElseThrow(() -> ProxymeException.notFound(
                        ProxymeErrors.NOT_FOUND, "Unknown agent: " + ProxymeException.printable(request.agentId())));
        attempt.agent(agent.clientId());
        UserModel user = userOf(request);
        attempt.user(user.getId());
        return new DelegationService(session, realm)
                .delegateForBackend(
                        backend.getClientId(),
                        user,
                        agent,
                        request.requiredScopes(),
                        request.portal(),
                        request.expiresIn(),
                        request.envelope());
    }

    private UserModel userOf(DelegateRequest request) {
        request.checkUserNamedOnce();
        UserModel user = request.userId() != null
                ? session.users().getUserById(realm, request.userId())
                : session.users().getUserByUsername(realm, request.username());
        if (user == null) {
            throw ProxymeException.notFound(ProxymeErrors.NOT_FOUND, "Unknown user");
        }
        return user;
    }
}
