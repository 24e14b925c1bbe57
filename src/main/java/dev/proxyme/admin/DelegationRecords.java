package dev.proxyme.admin;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import dev.proxyme.model.Delegation;
import dev.proxyme.model.TokenUsage;
import dev.proxyme.representation.ActivityRepresentation;
import dev.proxyme.representation.AdminDelegation;
import dev.proxyme.representation.AdminRepresentations.AuditEntryRepresentation;
import dev.proxyme.representation.AdminRepresentations.DelegationWithAudit;
import dev.proxyme.store.ActivityProvider;
import dev.proxyme.store.AuditProvider;
import dev.proxyme.store.DelegationProvider;
import dev.proxyme.store.DelegationQuery;

/**
 * What administrators read of a realm's delegations, through the admin REST API and the admin page alike: a search
 * with each delegation's token usage, one delegation with its whole trail and its activity, and the user an
 * administrator means.
 */
public final class DelegationRecords {

    private static final Pattern KEYCLOAK_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final DelegationProvider delegations;

    public DelegationRecords(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.delegations = session.getProvider(DelegationProvider.class);
    }

    /**
     * A user's id from what an administrator typed: an id, or a username (the Admin Console shows both); anything else
     * is taken as the id of a user since deleted, whose delegations stay on record. A value shaped like Keycloak's ids
     * is only ever an id: a username may be any string, another user's id (in other letter case) too.
     */
    public String userIdOf(String idOrUsername) {
        if (idOrUsername == null
                || KEYCLOAK_ID.matcher(idOrUsername).matches()
                || session.users().getUserById(realm, idOrUsername) != null) {
            return idOrUsername;
        }
        UserModel named = session.users().getUserByUsername(realm, idOrUsername);
        return named == null ? idOrUsername : named.getId();
    }

    public List<AdminDelegation> search(DelegationQuery query) {
        List<Delegation> found = delegations.search(realm, query);
        Map<String, TokenUsage> usage =
                delegations.usage(found.stream().map(Delegation::id).toList());
        return found.stream()
                .map(d -> AdminDelegation.of(d, usage.getOrDefault(d.id(), TokenUsage.NONE)))
                .toList();
    }

    /** What agents did under a delegation of the realm, newest first, with counts per route; empty if it is unknown. */
    public Optional<ActivityRepresentation> activity(String delegationId, Long from, Long to, long first, long max) {
        return delegations
                .find(realm, delegationId)
                .map(delegation -> ActivityRepresentation.of(session.getProvider(ActivityProvider.class)
                        .page(realm, delegation.id(), from, to, first, max)));
    }

    /** One delegation with its whole audit trail (its audit rows and the tokens issued), oldest first. */
    public Optional<DelegationWithAudit> find(String delegationId) {
        return delegations.find(realm, delegationId).map(delegation -> {
            TokenUsage usage = delegations.usage(List.of(delegationId)).getOrDefault(delegationId, TokenUsage.NONE);
            List<AuditEntryRepresentation> trail = Stream.concat(
                            session.getProvider(AuditProvider.class).findOfDelegation(realm, delegationId).stream()
                                    .map(AuditEntryRepresentation::of),
                            delegations.findIssuedTokens(delegationId).stream()
                                    .map(token -> AuditEntryRepresentation.of(token, delegation)))
                    // Stable: at the same millisecond, audit rows (the delegation's creation) stay before its tokens.
                    .sorted(Comparator.comparingLong(AuditEntryRepresentation::time))
                    .toList();
            return new DelegationWithAudit(AdminDelegation.of(delegation, usage), trail);
        });
    }
}
