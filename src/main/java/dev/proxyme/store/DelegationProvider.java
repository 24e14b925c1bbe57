package dev.proxyme.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

import dev.proxyme.model.Delegation;
import dev.proxyme.model.DelegationStatus;
import dev.proxyme.model.IssuedToken;
import dev.proxyme.model.TokenUsage;

/**
 * Delegations and the tokens issued under them, in the realm's database, through the request's own transaction.
 * Obtained with {@code session.getProvider(DelegationProvider.class)}; it returns domain objects, never entities.
 * Lists of delegations are newest first.
 */
public interface DelegationProvider extends Provider {

    void create(Delegation delegation);

    Optional<Delegation> find(RealmModel realm, String delegationId);

    /**
     * Reads the delegation holding its row lock until the request's transaction ends, and as it is once the lock is
     * granted: what changes a delegation (ending it) takes it, so that two endings are not both recorded. Minting
     * takes none: every check of a token reads the row, so a token minted while a revocation runs is refused once it
     * has committed.
     */
    Optional<Delegation> lock(RealmModel realm, String delegationId);

    /**
     * Holds the user's lock on new grants until the request's transaction ends: of two approvals for one user at once,
     * the second reads what the first committed (a user whose account Keycloak does not store takes no lock).
     */
    void lockGrantsOf(RealmModel realm, String userId);

    /**
     * Binds a delegation to a DPoP key unless it is bound already, atomically: of two first uses with different keys,
     * one binds. Returns the thumbprint the delegation is bound to afterwards.
     */
    String bindDpopKey(RealmModel realm, String delegationId, String jkt);

    /**
     * Counts one call against a delegation's budget if any is left, atomically in the database: every node's check
     * counts on the same row, so of concurrent calls exactly as many pass as the budget allows. False when none is left.
     */
    boolean consumeCall(RealmModel realm, String delegationId, int budget);

    /** Records how a delegation ended (its status, when, why); the caller holds its lock. */
    void end(Delegation ended);

    /** Active delegations of a user to an agent for a portal that have not reached their end time. */
    List<Delegation> findCurrent(
            RealmModel realm, String userId, String agentClientId, String portalClientId, long nowMillis);

    /** Active delegations of a user to an agent, whatever the portal and including those past their end time. */
    List<Delegation> findActiveOfUserToAgent(RealmModel realm, String userId, String agentClientId);

    List<Delegation> findActiveOfUser(RealmModel realm, String userId);

    List<Delegation> findActiveOfAgent(RealmModel realm, String agentClientId);

    /** Whether an agent has a delegation that is active, or was approved or ended at or after the time. */
    boolean inUseSince(RealmModel realm, String agentClientId, long sinceMillis);

    /** Active delegations approved in a Keycloak login session (session ids are unique across realms). */
    List<Delegation> findActiveOfSession(String loginSessionId);

    /** Active delegations approved in any Keycloak login session of the realm. */
    List<Delegation> findActiveGrantedInSessions(RealmModel realm);

    /** A user's active delegations and those that ended since the given time. */
    List<Delegation> findOfUser(RealmModel realm, String userId, long endedSinceMillis);

    List<Delegation> search(RealmModel realm, DelegationQuery query);

    /** Of every realm: active delegations whose end time has passed, oldest end first. */
    List<Delegation> findPastTheirEnd(long nowMillis, int max);

    /**
     * Removes Keycloak's consent records of a user for a client, however many there are: Keycloak's own revocation
     * refuses to when it finds two.
     */
    void removeKeycloakConsents(String userId, String clientInternalId);

    /** How many delegations each agent of the realm has, by status. */
    Map<String, Map<DelegationStatus, Long>> countByAgent(RealmModel realm);

    /** Records a token issued under a delegation: the one write minting makes. */
    void recordIssuedToken(IssuedToken token);

    /** The tokens issued under a delegation, oldest first. */
    List<IssuedToken> findIssuedTokens(String delegationId);

    /** How many tokens were issued under each of these delegations, and when the last was. */
    Map<String, TokenUsage> usage(Collection<String> delegationIds);

    /** Forgets the records of tokens issued before the given time (epoch milliseconds); returns how many. */
    int purgeIssuedTokensBefore(long timeMillis);

    /** Everything stored for a realm: Proxyme's tables are not part of Keycloak's realm model. */
    void removeRealm(RealmModel realm);
}
