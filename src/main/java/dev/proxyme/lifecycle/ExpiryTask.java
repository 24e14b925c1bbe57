package dev.proxyme.lifecycle;

import java.util.List;
import java.util.function.BiFunction;

import org.jboss.logging.Logger;

import org.keycloak.cluster.ClusterProvider;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

import dev.proxyme.ProxymeNode;
import dev.proxyme.agent.SelfRegisteredAgents;
import dev.proxyme.model.Delegation;
import dev.proxyme.revocation.DelegationRevocation;
import dev.proxyme.revocation.LoginSessionEndings;
import dev.proxyme.store.ActivityProvider;
import dev.proxyme.store.AuditProvider;
import dev.proxyme.store.DelegationProvider;

/**
 * Marks delegations past their end as expired (with an audit row each), ends those whose login session has expired
 * (a session's expiry sends no event), removes self-registered agents left unused, and purges audit rows and token
 * records past the retention.
 * Runs on every node's timer, but the cluster lets one node run it per interval.
 */
public class ExpiryTask implements ScheduledTask {

    static final String NAME = "proxyme-expiry";
    private static final int BATCH = 500;
    private static final Logger logger = Logger.getLogger(ExpiryTask.class);

    @Override
    public void run(KeycloakSession session) {
        ClusterProvider cluster = session.getProvider(ClusterProvider.class);
        int timeout = Math.max(10, ProxymeNode.of(session).settings().expiryIntervalSeconds() - 1);
        cluster.executeIfNotExecuted(NAME, timeout, () -> {
            sweep(session);
            return null;
        });
    }

    static void sweep(KeycloakSession session) {
        DelegationProvider delegations = session.getProvider(DelegationProvider.class);
        List<Delegation> due = delegations.findPastTheirEnd(Time.currentTimeMillis(), BATCH);
        int expired = 0;
        for (Delegation delegation : due) {
            if (alone(
                    session,
                    delegation.realmId(),
                    "expire delegation " + delegation.id(),
                    false,
                    (expiry, realm) -> new DelegationRevocation(expiry, realm).expire(delegation.id()))) {
                expired++;
            }
        }
        int sessionEnded = 0;
        int unusedAgents = 0;
        for (String realmId :
                session.realms().getRealmsStream().map(RealmModel::getId).toList()) {
            for (Delegation delegation :
                    delegations.findActiveGrantedInSessions(session.realms().getRealm(realmId))) {
                String what = "end delegation " + delegation.id() + " with its login session";
                if (alone(
                        session,
                        realmId,
                        what,
                        false,
                        (ending, realm) -> new LoginSessionEndings(ending, realm).endIfEnded(delegation))) {
                    sessionEnded++;
                }
            }
            unusedAgents += alone(
                    session,
                    realmId,
                    "remove the unused self-registered agents",
                    0,
                    (removal, realm) ->
                            new SelfRegisteredAgents(removal, realm).removeUnused(Time.currentTimeMillis()));
        }
        long retention = ProxymeNode.of(session).settings().auditRetentionDays() * 24L * 3600 * 1000;
        int tokens = delegations.purgeIssuedTokensBefore(Time.currentTimeMillis() - retention);
        int audit = session.getProvider(AuditProvider.class).purgeBefore(Time.currentTimeMillis() - retention);
        long activityRetention = ProxymeNode.of(session).settings().activityRetentionDays() * 24L * 3600 * 1000;
        int activity =
                session.getProvider(ActivityProvider.class).purgeBefore(Time.currentTimeMillis() - activityRetention);
        if (expired + sessionEnded + unusedAgents + tokens + audit + activity > 0) {
            logger.debugf(
                    "Expired %d delegations, ended %d with their login session, removed %d unused self-registered"
                            + " agents, purged %d token records, %d audit rows and %d activity entries",
                    expired, sessionEnded, unusedAgents, tokens, audit, activity);
        }
    }

    /**
     * In a transaction of its own, so that nothing one ending or removal meets (Keycloak's sessions and caches, a
     * lock) can keep the others from happening. When it fails (logged): the given value.
     */
    private static <T> T alone(
            KeycloakSession session,
            String realmId,
            String what,
            T failed,
            BiFunction<KeycloakSession, RealmModel, T> work) {
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), own -> {
                RealmModel realm = own.realms().getRealm(realmId);
                if (realm == null) {
                    return failed;
                }
                // Keycloak's user and session lookups read the realm from the context, which a scheduled task has not
                // set.
                own.getContext().setRealm(realm);
                return work.apply(own, realm);
            });
        } catch (RuntimeException failure) {
            logger.warnf("Could not %s in realm %s: %s", what, realmId, failure.toString());
            return failed;
        }
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}
