package dev.proxyme.selfservice;

import java.io.InputStream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.keycloak.OAuthErrorException;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.Actor;
import dev.proxyme.web.Attempt;
import dev.proxyme.web.Callers;
import dev.proxyme.web.JsonBody;
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

    /** {@code {"agent_id"}} narrows "revoke everything" to one agent. */
    public record RevokeAllRequest(String agentId) {
        static RevokeAllRequest from(JsonBody json) {
            return new RevokeAllRequest(json.string("agent_id"));
        }
    }

    public record RevokedCount(
            @JsonProperty("status") String status,
            @JsonProperty("count") int count) {}

    public record Revoked(
            @JsonProperty("status") String status,
            @JsonProperty("delegation_id") String delegationId) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        Attempt attempt = new Attempt(session, EventType.USER_INFO_REQUEST, Attempt.Challenge.BEARER);
        return attempt.run(() -> Responses.json(
                Response.Status.OK, mine(attempt, Callers.AccountAccess.VIEW).list()));
    }

    /** What agents did under the delegation: {@code from}, {@code to} (epoch ms), {@code first}, {@code max} (at most 100). */
    @GET
    @Path("{id}/activity")
    @Produces(MediaType.APPLICATION_JSON)
    public Response activity(
            @PathParam("id") String delegationId,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("first") String first,
            @QueryParam("max") String max) {
        Attempt attempt = new Attempt(session, EventType.USER_INFO_REQUEST, Attempt.Challenge.BEARER);
        return attempt.run(() -> {
            MyDelegations mine = mine(attempt, Callers.AccountAccess.VIEW);
            attempt.delegation(delegationId);
            return Responses.json(
                    Response.Status.OK,
                    mine.activity(
                            delegationId,
                            timeParameter("from", from),
                            timeParameter("to", to),
                            (int) Math.min(Integer.MAX_VALUE, orDefault(timeParameter("first", first), 0)),
                            (int) Math.min(Integer.MAX_VALUE, orDefault(timeParameter("max", max), 50))));
        });
    }

    /** A whole number from 0, or null when absent. */
    private static Long timeParameter(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ProxymeException.badRequest(
                OAuthErrorException.INVALID_REQUEST, "'" + name + "' must be a non-negative integer");
    }

    private static long orDefault(Long value, long otherwise) {
        return value == null ? otherwise : value;
    }

    @POST
    @Path("{id}/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(@PathParam("id") String delegationId) {
        Attempt attempt = new Attempt(session, EventType.REVOKE_GRANT, Attempt.Challenge.BEARER);
        return attempt.run(() -> {
            MyDelegations mine = mine(attempt, Callers.AccountAccess.MANAGE);
            attempt.delegation(delegationId);
            mine.revoke(delegationId);
            return Responses.json(Response.Status.OK, new Revoked("revoked", delegationId));
        });
    }

    /** Ends all of the user's delegations, or all to one agent with {@code {"agent_id"}}. */
    @POST
    @Path("revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeAll(InputStream body) {
        Attempt attempt = new Attempt(session, EventType.REVOKE_GRANT, Attempt.Challenge.BEARER);
        return attempt.run(() -> {
            MyDelegations mine = mine(attempt, Callers.AccountAccess.MANAGE);
            RevokeAllRequest request = RevokeAllRequest.from(JsonBody.read(session, body));
            return Responses.json(Response.Status.OK, new RevokedCount("revoked", mine.revokeAll(request.agentId())));
        });
    }

    private MyDelegations mine(Attempt attempt, Callers.AccountAccess access) {
        AuthResult caller = Callers.authenticateBearer(session);
        attempt.actor(Actor.user(caller.user().getId())).user(caller.user().getId());
        Callers.checkAccountAccess(session, caller, access);
        return new MyDelegations(session, session.getContext().getRealm(), caller.user());
    }
}
