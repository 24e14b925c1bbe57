package dev.proxyme.selfservice;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.proxyme.OAuthErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.audit.Actor;
import dev.proxyme.delegation.DelegationService;
import dev.proxyme.delegation.DelegationStatus;
import dev.proxyme.store.DelegationEntity;
import dev.proxyme.store.DelegationStore;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * A user's own delegations: what is active, what ended in the last 30 days and how, and ending them. A user only ever
 * reaches their own: another user's delegation is "unknown" to them, not "forbidden", so its existence is not told.
 */
public class MyDelegations {

    static final long ENDED_WINDOW_MILLIS = 30L * 24 * 3600 * 1000;
    static final String REASON = "revoked_by_user";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final UserModel user;

    public MyDelegations(KeycloakSession session, RealmModel realm, UserModel user) {
        this.session = session;
        this.realm = realm;
        this.user = user;
    }

    public record Listing(@JsonProperty("active") List<UserDelegation> active, @JsonProperty("ended") List<UserDelegation> ended) {

        Map<String, Object> toView() {
            return Map.of("active", active.stream().map(UserDelegation::toView).toList(),
                    "ended", ended.stream().map(UserDelegation::toView).toList());
        }
    }

    public Listing list() {
        long now = Time.currentTimeMillis();
        List<DelegationEntity> all = new DelegationStore(session).findOfUser(realm.getId(), user.getId(), now - ENDED_WINDOW_MILLIS);
        return new Listing(
                all.stream().filter(d -> DelegationStatus.ACTIVE.name().equals(d.getStatus()) && d.getExpiresAt() > now)
                        .map(d -> UserDelegation.of(realm, d)).toList(),
                all.stream().filter(d -> !DelegationStatus.ACTIVE.name().equals(d.getStatus()) || d.getExpiresAt() <= now)
                        .map(d -> UserDelegation.of(realm, d)).toList());
    }

    public void revoke(String delegationId) {
        DelegationEntity delegation = new DelegationStore(session).find(realm.getId(), delegationId)
                .filter(d -> d.getUserId().equals(user.getId()))
                .orElseThrow(() -> ProxymeException.notFound(OAuthErrors.NOT_FOUND, "Unknown delegation"));
        new DelegationService(session, realm).revoke(delegation.getId(), Actor.user(user.getId()), REASON);
    }

    /** Ends all of the user's delegations to one agent, or all of them when {@code agentClientId} is null. */
    public int revokeAll(String agentClientId) {
        DelegationService service = new DelegationService(session, realm);
        Actor actor = Actor.user(user.getId());
        return (agentClientId == null
                ? service.revokeAllOfUser(user.getId(), actor, REASON)
                : service.revokeAll(user.getId(), agentClientId, actor, REASON)).size();
    }
}
