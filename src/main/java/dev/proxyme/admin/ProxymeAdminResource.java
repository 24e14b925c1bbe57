package dev.proxyme.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.proxyme.OAuthErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.agent.Agent;
import dev.proxyme.api.representation.DelegationRepresentation;
import dev.proxyme.audit.Actor;
import dev.proxyme.delegation.Delegation;
import dev.proxyme.delegation.DelegationService;
import dev.proxyme.delegation.DelegationStatus;
import dev.proxyme.store.DelegationQuery;
import dev.proxyme.store.DelegationStore;
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
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Administrators' view and kill switches, under {@code /admin/realms/{realm}/proxyme}. Delegations are user data:
 * reading them needs the right to view users, ending them the right to manage users; listing agents needs the
 * right to view clients. Every change is recorded as an admin event.
 */
public class ProxymeAdminResource {

    private static final int DEFAULT_PAGE = 20;
    private static final int MAX_PAGE = 100;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    public ProxymeAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                                AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.CUSTOM);
    }

    /** Delegations filtered by user id, agent, portal, status and creation time (epoch ms), newest first, paged. */
    @GET
    @Path("delegations")
    @Produces(MediaType.APPLICATION_JSON)
    public List<DelegationRepresentation> listDelegations(@QueryParam("user") String userId, @QueryParam("agent") String agent,
                                                          @QueryParam("portal") String portal, @QueryParam("status") String status,
                                                          @QueryParam("from") String from, @QueryParam("to") String to,
                                                          @QueryParam("first") String first, @QueryParam("max") String max) {
        auth.users().requireView();
        DelegationQuery query = new DelegationQuery(userId, agent, portal, checkStatus(status), checkLong("from", from),
                checkLong("to", to), (int) Math.min(Integer.MAX_VALUE, orDefault(checkLong("first", first), 0)),
                (int) Math.min(MAX_PAGE, Math.max(1, orDefault(checkLong("max", max), DEFAULT_PAGE))));
        return new DelegationStore(session).search(realm.getId(), query).stream().map(DelegationRepresentation::of).toList();
    }

    /** One delegation with its whole audit trail, oldest first. */
    @GET
    @Path("delegations/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public DelegationRepresentation.WithAudit getDelegation(@PathParam("id") String delegationId) {
        auth.users().requireView();
        DelegationStore store = new DelegationStore(session);
        return store.find(realm.getId(), delegationId)
                .map(delegation -> new DelegationRepresentation.WithAudit(DelegationRepresentation.of(delegation),
                        store.findAudit(realm.getId(), delegationId).stream().map(DelegationRepresentation.AuditEntry::of).toList()))
                .orElseThrow(() -> notFound("Unknown delegation"));
    }

    @POST
    @Path("delegations/{id}/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> revokeDelegation(@PathParam("id") String delegationId) {
        auth.users().requireManage();
        Delegation revoked;
        try {
            revoked = service().revoke(delegationId, admin(), "revoked_by_admin");
        } catch (ProxymeException refused) {
            throw new ErrorResponseException(refused.error(), refused.description(), Response.Status.fromStatusCode(refused.status()));
        }
        Map<String, Object> result = result("revoked", 1);
        result.put("delegation_id", revoked.id());
        adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri()).representation(result).success();
        return result;
    }

    /** Ends every delegation of a user. */
    @POST
    @Path("users/{userId}/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> revokeUser(@PathParam("userId") String userId) {
        auth.users().requireManage();
        if (session.users().getUserById(realm, userId) == null) {
            throw notFound("Unknown user");
        }
        Map<String, Object> result = result("revoked", service().revokeAllOfUser(userId, admin(), "revoked_by_admin").size());
        adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri()).representation(result).success();
        return result;
    }

    /** The kill switch: ends every delegation to an agent at once. */
    @POST
    @Path("agents/{clientId}/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> revokeAgent(@PathParam("clientId") String clientId) {
        auth.users().requireManage();
        if (!Agent.isAgent(realm.getClientByClientId(clientId))) {
            throw notFound("Unknown agent");
        }
        Map<String, Object> result = result("revoked", service().revokeAllOfAgent(clientId, admin(), "agent_kill_switch").size());
        adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri()).representation(result).success();
        return result;
    }

    /** Agents with how many delegations each has, by status. */
    @GET
    @Path("agents")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> listAgents() {
        auth.clients().requireView();
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        for (Object[] row : new DelegationStore(session).countByAgent(realm.getId())) {
            counts.computeIfAbsent((String) row[0], agent -> new LinkedHashMap<>()).put((String) row[1], (Long) row[2]);
        }
        List<Map<String, Object>> agents = new ArrayList<>();
        realm.getClientsStream().map(Agent::of).flatMap(Optional::stream).forEach(agent -> {
            Map<String, Long> byStatus = counts.getOrDefault(agent.clientId(), Map.of());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("client_id", agent.clientId());
            row.put("name", agent.client().getName());
            row.put("enabled", agent.client().isEnabled());
            row.put("scopes", List.copyOf(agent.allowedScopes().names()));
            row.put("portals", List.copyOf(agent.allowedPortals()));
            row.put("token_lifetime_seconds", agent.tokenLifetimeSeconds());
            for (DelegationStatus status : DelegationStatus.values()) {
                row.put(status.name().toLowerCase(), byStatus.getOrDefault(status.name(), 0L));
            }
            agents.add(row);
        });
        return agents;
    }

    private DelegationService service() {
        return new DelegationService(session, realm);
    }

    private Actor admin() {
        return Actor.admin(auth.adminAuth().getUser().getId());
    }

    private static Map<String, Object> result(String status, int count) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", status);
        result.put("count", count);
        return result;
    }

    private static String checkStatus(String status) {
        if (status == null) {
            return null;
        }
        String normalized = status.toUpperCase(Locale.ROOT);
        if (!Set.of("ACTIVE", "REVOKED", "EXPIRED").contains(normalized)) {
            throw new ErrorResponseException(OAuthErrors.INVALID_REQUEST, "'status' must be active, revoked or expired",
                    Response.Status.BAD_REQUEST);
        }
        return normalized;
    }

    private static Long checkLong(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ErrorResponseException(OAuthErrors.INVALID_REQUEST, "'" + name + "' must be a non-negative integer",
                    Response.Status.BAD_REQUEST);
        }
    }

    private static long orDefault(Long value, long fallback) {
        return value == null ? fallback : value;
    }

    private static ErrorResponseException notFound(String description) {
        return new ErrorResponseException(OAuthErrors.NOT_FOUND, description, Response.Status.NOT_FOUND);
    }
}
