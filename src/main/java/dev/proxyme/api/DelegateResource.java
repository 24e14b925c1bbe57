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
import dev.proxyme.clients.Agent;
import dev.proxyme.clients.TrustedBackends;
import dev.proxyme.consent.ConsentFlow;
import dev.proxyme.delegation.BackendGrants;
import dev.proxyme.delegation.DelegatedToken;
import dev.proxyme.delegation.TokenIssuance;
import dev.proxyme.model.Actor;
import dev.proxyme.representation.DelegateBody;
import dev.proxyme.representation.DelegationTokenResponse;
import dev.proxyme.web.AuditedCall;
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
        AuditedCall call = new AuditedCall(session, EventType.TOKEN_EXCHANGE, AuditedCall.Challenge.CLIENT);
        return call.run(() -> {
            ClientModel caller = Callers.authenticateClient(session, call.event());
            Agent callingAgent = Agent.of(caller).orElse(null);
            if (callingAgent != null) {
                call.actor(Actor.agent(caller.getClientId())).agent(caller.getClientId());
            } else if (TrustedBackends.isTrustedBackend(session, realm, caller)) {
                call.actor(Actor.backend(caller.getClientId()));
            } else {
                call.actor(Actor.client(caller.getClientId()));
                throw ProxymeException.forbidden(
                        OAuthErrorException.UNAUTHORIZED_CLIENT,
                        "Only agents and trusted backends may obtain delegation tokens");
            }

            if (callingAgent != null) {
                DPoPProofs.acceptForThisRequest(session);
            }
            DelegateBody request = DelegateBody.from(JsonBody.read(session, body));
            DelegatedToken grant = callingAgent != null
                    ? delegateAsAgent(call, callingAgent, request)
                    : delegateAsBackend(call, caller, request);
            return Responses.json(Response.Status.OK, DelegationTokenResponse.of(grant.token(), grant.delegation()));
        });
    }

    private DelegatedToken delegateAsAgent(AuditedCall call, Agent agent, DelegateBody request) {
        if (request.agentId() != null && !request.agentId().equals(agent.clientId())) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED, "An agent can only obtain tokens for itself");
        }
        if (request.requestId() != null) {
            return new ConsentFlow(session, realm).poll(agent, request.requestId());
        }
        TokenIssuance service = new TokenIssuance(session, realm);
        if (request.delegationId() != null) {
            call.delegation(request.delegationId());
            return service.renew(agent, request.delegationId(), request.scopes(), request.portal());
        }
        UserModel user = userOf(request);
        call.user(user.getId());
        if (request.scopes() == null) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST, "'scopes' or 'delegation_id' is required");
        }
        return service.renewForUser(agent, user, request.scopes(), request.portal());
    }

    private DelegatedToken delegateAsBackend(AuditedCall call, ClientModel backend, DelegateBody request) {
        if (request.agentId() == null) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "'agent_id' is required");
        }
        Agent agent = Agent.of(realm.getClientByClientId(request.agentId()))
                .orElseThrow(() -> ProxymeException.notFound(
                        ProxymeErrors.NOT_FOUND, "Unknown agent: " + ProxymeException.printable(request.agentId())));
        call.agent(agent.clientId());
        UserModel user = userOf(request);
        call.user(user.getId());
        return new BackendGrants(session, realm)
                .vouch(
                        backend.getClientId(),
                        user,
                        agent,
                        request.requiredScopes(),
                        request.portal(),
                        request.expiresIn(),
                        request.envelope());
    }

    private UserModel userOf(DelegateBody request) {
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
