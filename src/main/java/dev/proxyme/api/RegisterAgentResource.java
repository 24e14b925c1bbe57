package dev.proxyme.api;

import java.io.InputStream;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import dev.proxyme.admin.AdminConsoleForms;
import dev.proxyme.agent.AgentRegistration;
import dev.proxyme.agent.RegistrationRequest;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.representation.RegisterAgentResponse;
import dev.proxyme.web.AuditedCall;
import dev.proxyme.web.Callers;
import dev.proxyme.web.JsonBody;
import dev.proxyme.web.Responses;

/** {@code POST register_agent}: an administrator registers an agent, a confidential client limited to scopes and portals. */
public class RegisterAgentResource {

    private final KeycloakSession session;
    private final RealmModel realm;

    public RegisterAgentResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(InputStream body) {
        AuditedCall call = new AuditedCall(session, EventType.CLIENT_REGISTER, AuditedCall.Challenge.BEARER);
        return call.run(() -> {
            AuthResult caller = Callers.authenticateBearer(session);
            call.actor(Actor.admin(caller.user().getId()));
            Callers.checkRealmManagementRole(realm, caller, Callers.MANAGE_CLIENTS);

            RegistrationRequest request = RegistrationRequest.from(JsonBody.read(session, body));
            AgentRegistration.Registered registered = new AgentRegistration(session, realm).register(request);
            AdminConsoleForms.followClient(session, realm, registered.agent().clientId());

            new AuditLog(session, realm)
                    .record(AuditRecord.of(AuditAction.AGENT_REGISTERED, call.actor())
                            .agent(registered.agent().clientId())
                            .detail("scopes=" + registered.agent().allowedScopes() + " portals="
                                    + String.join(" ", registered.agent().allowedPortals())));
            return Responses.json(Response.Status.CREATED, RegisterAgentResponse.of(registered));
        });
    }
}
