package dev.proxyme.lifecycle;

import java.util.List;

import dev.proxyme.ProxymeSettings;
import dev.proxyme.delegation.DelegationService;
import dev.proxyme.store.DelegationEntity;
import dev.proxyme.store.DelegationStore;
import org.jboss.logging.Logger;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

/**
 * Marks delegations past their end as expired (with an audit row each), purges the ids of tokens past their expiry,
 * and audit rows past the retention. Runs on every node's timer, but the cluster lets one node run it per interval.
 */
public class ExpiryTask implements ScheduledTask {

    static final String NAME = "proxyme-expiry";
    private static final int BATCH = 500;
    private static final Logger logger = Logger.getLogger(ExpiryTask.class);

    @Override
    public void run(KeycloakSession session) {
        ClusterProvider cluster = session.getProvider(ClusterProvider.class);
        int timeout = Math.max(10, ProxymeSettings.current().expiryIntervalSeconds() - 1);
        cluster.executeIfNotExecuted(NAME, timeout, () -> {
            sweep(session);
            return null;
        });
    }

    static void sweep(KeycloakSession session) {
        DelegationStore store = new DelegationStore(session);
        List<DelegationEntity> due = store.findPastTheirEnd(Time.currentTimeMillis(), BATCH);
        int expired = 0;
        for (DelegationEntity delegation : due) {
            RealmModel realm = session.realms().getRealm(delegation.getRealmId());
            if (realm != null && new DelegationService(session, realm).expire(delegation.getId())) {
                expired++;
            }
        }
        int tokens = store.deleteExpiredTokens(Time.currentTime());
        long retention = ProxymeSettings.current().auditRetentionDays() * 24L * 3600 * 1000;
        int audit = store.deleteAuditBefore(Time.currentTimeMillis() - retention);
        if (expired + tokens + audit > 0) {
            logger.debugf("Expired %d delegations, purged %d token ids and %d audit rows", expired, tokens, audit);
        }
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}
