package dev.proxyme.admin;

import dev.proxyme.OAuthErrors;
import dev.proxyme.api.representation.DelegationRepresentation;
import dev.proxyme.store.DelegationStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Administrators' view of delegations. Delegations are user data: reading them needs the right to view users, as
 * Keycloak's own user resources require.
 */
public class ProxymeAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    public ProxymeAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
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
                .orElseThrow(() -> new ErrorResponseException(OAuthErrors.NOT_FOUND, "Unknown delegation", Response.Status.NOT_FOUND));
    }
}
