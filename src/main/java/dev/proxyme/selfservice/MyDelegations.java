package dev.proxyme.selfservice;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.model.Actor;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.TokenUsage;
import dev.proxyme.representation.ActivityRepresentation;
import dev.proxyme.representation.UserDelegation;
import dev.proxyme.revocation.DelegationRevocation;
import dev.proxyme.store.ActivityProvider;
import dev.proxyme.store.DelegationProvider;

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

    public record Listing(
            @JsonProperty("active") List<UserDelegation> active,
            @JsonProperty("ended") List<UserDelegation> ended) {}

    public Listing list() {
        long now = Time.currentTimeMillis();
        DelegationProvider delegations = session.getProvider(DelegationProvider.class);
        List<Delegation> all = delegations.findOfUser(realm, user.getId(), now - ENDED_WINDOW_MILLIS);
        Map<String, TokenUsage> usage =
                delegations.usage(all.stream().map(Delegation::id).toList());
        List<UserDelegation> active = all.stream()
                .filter(d -> d.isActiveAt(now))
                .map(d -> UserDelegation.of(realm, d, usage.getOrDefault(d.id(), TokenUsage.NONE)))
                .toList();
        List<UserDelegation> ended = all.stream()
                .filter(d -> !d.isActiveAt(now))
                .map(d -> UserDelegation.of(realm, d, usage.getOrDefault(d.id(), TokenUsage.NONE)))
                .toList();
        return new Listing(active, ended);
    }

    /** What agents did under one of the user's delegations (another user's is unknown, as if it did not exist). */
    public ActivityRepresentation activity(String delegationId, Long from, Long to, long first, long max) {
        Delegation delegation = session.getProvider(DelegationProvider.class)
                .find(realm, delegationId)
                .filter(d -> d.userId().equals(user.getId()))
                .orElseThrow(() -> ProxymeException.notFound(ProxymeErrors.NOT_FOUND, "Unknown delegation"));
        return ActivityRepresentation.of(
                session.getProvider(ActivityProvider.class).page(realm, delegation.id(), from, to, first, max));
    }

    /** Ends one of the user's delegations: true if this call ended it, false if it had ended already. */
    public boolean revoke(String delegationId) {
        Delegation delegation = session.getProvider(DelegationProvider.class)
                .find(realm, delegationId)
                .filter(d -> d.userId().equals(user.getId()))
                .orElseThrow(() -> ProxymeException.notFound(ProxymeErrors.NOT_FOUND, "Unknown delegation"));
        return new DelegationRevocation(session, realm)
                .endNow(delegation.id(), Actor.user(user.getId()), REASON)
                .isPresent();
    }

    /** Ends all of the user's delegations to one agent, or all of them when {@code agentClientId} is null. */
    public int revokeAll(String agentClientId) {
        DelegationRevocation revocation = new DelegationRevocation(session, realm);
        Actor actor = Actor.user(user.getId());
        return (agentClientId == null
                        ? revocation.revokeAllOfUser(user.getId(), actor, REASON)
                        : revocation.revokeAllOfUserToAgent(user.getId(), agentClientId, actor, REASON))
                .size();
    }
}
