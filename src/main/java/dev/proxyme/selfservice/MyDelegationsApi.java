package dev.proxyme.selfservice;

import java.io.InputStream;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import dev.proxyme.model.Actor;
import dev.proxyme.representation.RevocationResponse;
import dev.proxyme.representation.RevokeAllBody;
import dev.proxyme.web.AuditedCall;
import dev.proxyme.web.Callers;
import dev.proxyme.web.JsonBody;
import dev.proxyme.web.QueryParameters;
import dev.proxyme.web.QueryParameters.NonNegative;
import dev.proxyme.web.Responses;

/**
 * The user's own delegations as JSON at {@code /realms/{realm}/proxyme/my/delegations}, for a bearer access token of
 * the user that Keycloak's Account REST API would take: audience {@code account} and the account role for the access
 * (delegation tokens are refused: their grant allows them nowhere here).
 */
public class MyDelegationsApi {

    private final KeycloakSession session;

    public MyDelegationsApi(KeycloakSession session) {
        this.session = session;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        AuditedCall call = new AuditedCall(session, EventType.USER_INFO_REQUEST, AuditedCall.Challenge.BEARER);
        return call.run(() -> Responses.json(
                Response.Status.OK, mine(call, Callers.AccountAccess.VIEW).list()));
    }

    /** What agents did under the delegation: {@code from}, {@code to} (epoch ms), {@code first}, {@code max} (at most 100). */
    @GET
    @Path("{id}/activity")
    @Produces(MediaType.APPLICATION_JSON)
    public Response activity(
            @PathParam("id") String delegationId,
            @QueryParam("from") NonNegative from,
            @QueryParam("to") NonNegative to,
            @QueryParam("first") @DefaultValue("0") NonNegative first,
            @QueryParam("max") @DefaultValue("50") NonNegative max) {
        AuditedCall call = new AuditedCall(session, EventType.USER_INFO_REQUEST, AuditedCall.Challenge.BEARER);
        return call.run(() -> {
            MyDelegations mine = mine(call, Callers.AccountAccess.VIEW);
            call.delegation(delegationId);
            return Responses.json(
                    Response.Status.OK,
                    mine.activity(
                            delegationId,
                            QueryParameters.valueOrNull(from),
                            QueryParameters.valueOrNull(to),
                            first.value(),
                            max.value()));
        });
    }

    @POST
    @Path("{id}/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(@PathParam("id") String delegationId) {
        AuditedCall call = new AuditedCall(session, EventType.REVOKE_GRANT, AuditedCall.Challenge.BEARER);
        return call.run(() -> {
            MyDelegations mine = mine(call, Callers.AccountAccess.MANAGE);
            call.delegation(delegationId);
            mine.revoke(delegationId);
            return Responses.json(Response.Status.OK, RevocationResponse.revoked(delegationId));
        });
    }

    /** Ends all of the user's delegations, or all to one agent with {@code {"agent_id"}}. */
    @POST
    @Path("revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeAll(InputStream body) {
        AuditedCall call = new AuditedCall(session, EventType.REVOKE_GRANT, AuditedCall.Challenge.BEARER);
        return call.run(() -> {
            MyDelegations mine = mine(call, Callers.AccountAccess.MANAGE);
            RevokeAllBody request = RevokeAllBody.from(JsonBody.read(session, body));
            return Responses.json(Response.Status.OK, RevocationResponse.revoked(mine.revokeAll(request.agentId())));
        });
    }

    private MyDelegations mine(AuditedCall call, Callers.AccountAccess access) {
        AuthResult caller = Callers.authenticateBearer(session);
        call.actor(Actor.user(caller.user().getId())).user(caller.user().getId());
        Callers.checkAccountAccess(session, caller, access);
        return new MyDelegations(session, session.getContext().getRealm(), caller.user());
    }
}
