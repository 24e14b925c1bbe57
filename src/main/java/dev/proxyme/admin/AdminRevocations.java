package dev.proxyme.admin;

import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.clients.Agent;
import dev.proxyme.model.Actor;
import dev.proxyme.representation.RevocationResponse;
import dev.proxyme.revocation.DelegationRevocation;

/**
 * What an administrator revokes, through the admin REST API and the admin page alike: one delegation, everything of
 * a user, everything of an agent (the kill switch); a target that names nothing is refused as unknown (404).
 */
public final class AdminRevocations {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Actor admin;

    public AdminRevocations(KeycloakSession session, RealmModel realm, Actor admin) {
        this.session = session;
        this.realm = realm;
        this.admin = admin;
    }

    /** Empty when it had ended already (another revocation at once, say): nothing changed, no admin event is due. */
    public Optional<RevocationResponse> delegation(String delegationId) {
        return revocation()
                .endNow(delegationId, admin, "revoked_by_admin")
                .map(ended -> RevocationResponse.revokedOne(ended.id()));
    }

    public RevocationResponse user(String userId) {
        if (userId == null || session.users().getUserById(realm, userId) == null) {
            throw unknown("user");
        }
        return RevocationResponse.revoked(
                revocation().revokeAllOfUser(userId, admin, "revoked_by_admin").size());
    }

    public RevocationResponse agent(String clientId) {
        if (clientId == null || !Agent.isAgent(realm.getClientByClientId(clientId))) {
            throw unknown("agent");
        }
        return RevocationResponse.revoked(revocation()
                .revokeAllOfAgent(clientId, admin, "agent_kill_switch")
                .size());
    }

    private DelegationRevocation revocation() {
        return new DelegationRevocation(session, realm);
    }

    static ProxymeException unknown(String what) {
        return ProxymeException.notFound(ProxymeErrors.NOT_FOUND, "Unknown " + what);
    }
}
