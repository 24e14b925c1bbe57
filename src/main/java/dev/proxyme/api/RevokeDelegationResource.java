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
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.clients.Agent;
import dev.proxyme.clients.TrustedBackends;
import dev.proxyme.model.Actor;
import dev.proxyme.model.Delegation;
import dev.proxyme.representation.RevocationResponse;
import dev.proxyme.representation.RevokeDelegationBody;
import dev.proxyme.revocation.DelegationRevocation;
import dev.proxyme.store.DelegationProvider;
import dev.proxyme.token.DelegationTokenVerifier;
import dev.proxyme.web.AuditedCall;
import dev.proxyme.web.Callers;
import dev.proxyme.web.JsonBody;
import dev.proxyme.web.Responses;

/**
 * {@code POST revoke_delegation}: ends a whole delegation, every token minted under it inactive at once. With a
 * token, its holder may revoke; with an id, the delegation's agent, a trusted backend or a realm administrator
 * (manage-users).
 */
public class RevokeDelegationResource {

    private final KeycloakSession session;
    private final RealmModel realm;

    public RevokeDelegationResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(InputStream body) {
        AuditedCall call = new AuditedCall(session, EventType.REVOKE_GRANT, AuditedCall.Challenge.CLIENT);
        return call.run(() -> {
            Actor actor = authenticateRevoker(call);
            call.actor(actor);

            RevokeDelegationBody request = RevokeDelegationBody.from(JsonBody.read(session, body));
            String delegationId = request.delegationId();
            if (request.delegationToken() != null) {
                delegationId = new DelegationTokenVerifier(session, realm)
                        .delegationIdOfGenuineToken(request.delegationToken())
                        .orElseThrow(() -> ProxymeException.badRequest(
                                OAuthErrorException.INVALID_REQUEST,
                                "'delegation_token' is not a valid delegation token of this realm"));
            } else {
                call.delegation(delegationId);
                checkMayRevokeById(
                        actor,
                        session.getProvider(DelegationProvider.class)
                                .find(realm, delegationId)
                                .orElseThrow(() ->
                                        ProxymeException.notFound(ProxymeErrors.NOT_FOUND, "Unknown delegation")));
            }
            call.delegation(delegationId);
            Delegation revoked = new DelegationRevocation(session, realm)
                    .revoke(
                            delegationId,
                            actor,
                            "revoked_by_" + actor.type().name().toLowerCase());
            return Responses.json(Response.Status.OK, RevocationResponse.revoked(revoked.id()));
        });
    }

    private Actor authenticateRevoker(AuditedCall call) {
        if (Callers.hasBearerToken(session)) {
            call.challenge(AuditedCall.Challenge.BEARER);
            AuthResult caller = Callers.authenticateBearer(session);
            call.actor(Actor.admin(caller.user().getId()));
            Callers.checkRealmManagementRole(realm, caller, Callers.MANAGE_USERS);
            return call.actor();
        }
        ClientModel caller = Callers.authenticateClient(session, call.event());
        if (Agent.isAgent(caller)) {
            return Actor.agent(caller.getClientId());
        }
        if (TrustedBackends.isTrustedBackend(session, realm, caller)) {
            return Actor.backend(caller.getClientId());
        }
        return Actor.client(caller.getClientId());
    }

    private static void checkMayRevokeById(Actor actor, Delegation delegation) {
        boolean allowed = switch (actor.type()) {
            case ADMIN, BACKEND -> true;
            case AGENT -> delegation.agentClientId().equals(actor.id());
            default -> false;
        };
        if (!allowed) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED,
                    "Only the delegation's agent, a trusted backend or a realm administrator may revoke it by id");
        }
    }
}
