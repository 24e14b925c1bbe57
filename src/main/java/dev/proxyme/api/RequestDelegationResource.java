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

import dev.proxyme.ProxymeException;
import dev.proxyme.clients.Agent;
import dev.proxyme.consent.ConsentFlow;
import dev.proxyme.consent.PendingRequest;
import dev.proxyme.model.Actor;
import dev.proxyme.representation.RequestDelegationBody;
import dev.proxyme.representation.RequestDelegationResponse;
import dev.proxyme.web.AuditedCall;
import dev.proxyme.web.Callers;
import dev.proxyme.web.JsonBody;
import dev.proxyme.web.Responses;

/**
 * {@code POST request_delegation}: an agent asks a user for a delegation (RFC 8628 style). The answer tells it where
 * to send the user and how often to poll {@code delegate} with the {@code request_id}.
 */
public class RequestDelegationResource {

    private final KeycloakSession session;
    private final RealmModel realm;

    public RequestDelegationResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response request(InputStream body) {
        AuditedCall call = new AuditedCall(session, EventType.OAUTH2_DEVICE_AUTH, AuditedCall.Challenge.CLIENT);
        return call.run(() -> {
            ClientModel caller = Callers.authenticateClient(session, call.event());
            call.actor(Actor.client(caller.getClientId()));
            Agent agent = Agent.of(caller)
                    .orElseThrow(() -> ProxymeException.forbidden(
                            OAuthErrorException.UNAUTHORIZED_CLIENT, "Only agents may request delegations"));
            call.actor(Actor.agent(agent.clientId())).agent(agent.clientId());

            RequestDelegationBody request = RequestDelegationBody.from(JsonBody.read(session, body));
            PendingRequest pending = new ConsentFlow(session, realm)
                    .request(
                            agent,
                            request.scopes(),
                            request.portal(),
                            request.purpose(),
                            request.user(),
                            request.expiresIn(),
                            request.envelope());
            return Responses.json(
                    Response.Status.OK,
                    RequestDelegationResponse.of(
                            pending, Responses.proxymeUri(session, "consent").toString()));
        });
    }
}
