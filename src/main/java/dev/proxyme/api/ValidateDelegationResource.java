package dev.proxyme.api;

import java.io.InputStream;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;

import dev.proxyme.model.Actor;
import dev.proxyme.representation.ValidateDelegationBody;
import dev.proxyme.representation.ValidationResponse;
import dev.proxyme.token.DelegationTokenVerifier;
import dev.proxyme.web.AuditedCall;
import dev.proxyme.web.Callers;
import dev.proxyme.web.JsonBody;
import dev.proxyme.web.Responses;

/**
 * {@code POST validate_delegation}, the first service's validation, for any confidential client of the realm:
 * {@code {"valid": ...}}. Portals should prefer standard introspection (RFC 7662), which needs no Proxyme code.
 */
public class ValidateDelegationResource {

    private final KeycloakSession session;

    public ValidateDelegationResource(KeycloakSession session) {
        this.session = session;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response validate(InputStream body) {
        AuditedCall call = new AuditedCall(session, EventType.INTROSPECT_TOKEN, AuditedCall.Challenge.CLIENT);
        return call.run(() -> {
            ClientModel caller = Callers.authenticateClient(session, call.event());
            call.actor(Actor.client(caller.getClientId()));

            ValidateDelegationBody request = ValidateDelegationBody.from(JsonBody.read(session, body));
            ValidationResponse answer = new DelegationTokenVerifier(
                            session, session.getContext().getRealm())
                    .verify(request.delegationToken())
                    .map(ValidationResponse::of)
                    .orElse(ValidationResponse.INVALID);
            return Responses.json(Response.Status.OK, answer);
        });
    }
}
