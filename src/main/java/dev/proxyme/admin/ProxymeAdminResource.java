package dev.proxyme.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import dev.proxyme.ProxymeException;
import dev.proxyme.clients.Agent;
import dev.proxyme.model.Actor;
import dev.proxyme.model.DelegationStatus;
import dev.proxyme.representation.AdminRepresentations.AgentSummary;
import dev.proxyme.representation.RevocationResponse;
import dev.proxyme.store.DelegationProvider;
import dev.proxyme.store.DelegationQuery;
import dev.proxyme.web.AuditedCall;
import dev.proxyme.web.QueryParameters;
import dev.proxyme.web.QueryParameters.NonNegative;
import dev.proxyme.web.QueryParameters.Status;
import dev.proxyme.web.Responses;

/**
 * Administrators' view and kill switches, under {@code /admin/realms/{realm}/proxyme}. Delegations are user data:
 * reading them needs the right to view users, ending them the right to manage users; listing agents needs the
 * right to view clients. The permission check comes first; every change is recorded as an admin event.
 */
public class ProxymeAdminResource {

    private static final int MAX_PAGE = 100;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final DelegationProvider delegations;

    public ProxymeAdminResource(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.CUSTOM);
        this.delegations = session.getProvider(DelegationProvider.class);
    }

    /**
     * Delegations filtered by user (id or username), agent, portal, status and creation time (epoch ms), newest first,
     * paged.
     */
    @GET
    @Path("delegations")
    @Produces(MediaType.APPLICATION_JSON)
    public Response listDelegations(
            @QueryParam("user") String user,
            @QueryParam("agent") String agent,
            @QueryParam("portal") String portal,
            @QueryParam("status") Status status,
            @QueryParam("from") NonNegative from,
            @QueryParam("to") NonNegative to,
            @QueryParam("first") @DefaultValue("0") NonNegative first,
            @QueryParam("max") @DefaultValue("20") NonNegative max) {
        auth.users().requireView();
        return call().run(() -> Responses.json(
                Response.Status.OK,
                records()
                        .search(new DelegationQuery(
                                records().userIdOf(user),
                                agent,
                                portal,
                                status == null ? null : status.value(),
                                QueryParameters.valueOrNull(from),
                                QueryParameters.valueOrNull(to),
                                first.asInt(),
                                Math.min(MAX_PAGE, Math.max(1, max.asInt()))))));
    }

    /** What agents did under the delegation through the proxy, newest first, paged, with counts per route. */
    @GET
    @Path("delegations/{id}/activity")
    @Produces(MediaType.APPLICATION_JSON)
    public Response getActivity(
            @PathParam("id") String delegationId,
            @QueryParam("from") NonNegative from,
            @QueryParam("to") NonNegative to,
            @QueryParam("first") @DefaultValue("0") NonNegative first,
            @QueryParam("max") @DefaultValue("50") NonNegative max) {
        auth.users().requireView();
        return call().run(() -> Responses.json(
                Response.Status.OK,
                records()
                        .activity(
                                delegationId,
                                QueryParameters.valueOrNull(from),
                                QueryParameters.valueOrNull(to),
                                first.value(),
                                max.value())
                        .orElseThrow(() -> unknown("delegation"))));
    }

    /** One delegation with its whole audit trail, oldest first. */
    @GET
    @Path("delegations/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response getDelegation(@PathParam("id") String delegationId) {
        auth.users().requireView();
        return call().run(() -> {
            return Responses.json(
                    Response.Status.OK, records().find(delegationId).orElseThrow(() -> unknown("delegation")));
        });
    }

    @POST
    @Path("delegations/{id}/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeDelegation(@PathParam("id") String delegationId) {
        auth.users().requireManage();
        return call().run(() -> revocations()
                .delegation(delegationId)
                .map(this::changed)
                // Ended already: the same answer, and no admin event that says this call changed anything.
                .orElseGet(() -> Responses.json(Response.Status.OK, RevocationResponse.revokedOne(delegationId))));
    }

    /** Ends every delegation of a user (by id or username). */
    @POST
    @Path("users/{userId}/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeUser(@PathParam("userId") String user) {
        auth.users().requireManage();
        return call().run(() -> changed(revocations().user(records().userIdOf(user))));
    }

    /** The kill switch: ends every delegation to an agent at once. */
    @POST
    @Path("agents/{clientId}/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeAgent(@PathParam("clientId") String clientId) {
        auth.users().requireManage();
        return call().run(() -> changed(revocations().agent(clientId)));
    }

    /** Agents with how many delegations each has, by status. */
    @GET
    @Path("agents")
    @Produces(MediaType.APPLICATION_JSON)
    public Response listAgents() {
        auth.clients().requireView();
        return call().run(() -> Responses.json(Response.Status.OK, agentSummaries()));
    }

    private List<AgentSummary> agentSummaries() {
        Map<String, Map<DelegationStatus, Long>> counts = delegations.countByAgent(realm);
        return realm.getClientsStream()
                .map(Agent::of)
                .flatMap(Optional::stream)
                .map(agent -> {
                    Map<DelegationStatus, Long> byStatus = counts.getOrDefault(agent.clientId(), Map.of());
                    return new AgentSummary(
                            agent.clientId(),
                            agent.client().getName(),
                            agent.client().isEnabled(),
                            List.copyOf(agent.allowedScopes().names()),
                            List.copyOf(agent.allowedPortals()),
                            agent.anyPortal(),
                            agent.tokenLifetimeSeconds(),
                            byStatus.getOrDefault(DelegationStatus.ACTIVE, 0L),
                            byStatus.getOrDefault(DelegationStatus.REVOKED, 0L),
                            byStatus.getOrDefault(DelegationStatus.EXPIRED, 0L));
                })
                .toList();
    }

    /** Records the change as an admin event (the request's path names what changed) and answers with its outcome. */
    private Response changed(RevocationResponse result) {
        adminEvent
                .operation(OperationType.ACTION)
                .resourcePath(session.getContext().getUri())
                .representation(result)
                .success();
        return Responses.json(Response.Status.OK, result);
    }

    private AuditedCall call() {
        return AuditedCall.unaudited(session, AuditedCall.Challenge.BEARER).actor(admin());
    }

    private DelegationRecords records() {
        return new DelegationRecords(session, realm);
    }

    private AdminRevocations revocations() {
        return new AdminRevocations(session, realm, admin());
    }

    private Actor admin() {
        return Actor.admin(auth.adminAuth().getUser().getId());
    }

    private static ProxymeException unknown(String what) {
        return AdminRevocations.unknown(what);
    }
}
