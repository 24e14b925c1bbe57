package dev.proxyme.sessions;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import org.keycloak.cluster.ClusterProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserConsentModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.proxyme.ClusterLock;
import dev.proxyme.clients.Agent;
import dev.proxyme.model.Delegation;
import dev.proxyme.store.DelegationProvider;

/**
 * Mirrors the user's delegations to an agent into Keycloak's own consent record for the agent client, so that the
 * Account Console's "Applications" and the admin's "Consents" tab show what Proxyme would let the agent do, and the
 * user can revoke it there: its scopes the union of the user's active delegations to the agent, approved on Proxyme's
 * page or vouched for by a trusted backend (as far as the agent may still ask for them and reach their portal),
 * removed when none is left (any ending: revoked, expired, superseded, a logout).
 *
 * <p>The record is recomputed from what is committed, after the change that calls for it has committed, under a
 * cluster-wide lock of the user and agent: approvals and endings at once, on any node, each see the others' rows, so
 * the last recomputation is right and Keycloak never gets two records (which would make its own lookups fail). It is
 * a view: a failure here is logged and never undoes or blocks an approval or an ending.
 */
public final class KeycloakConsentMirror {

    private static final Logger logger = Logger.getLogger(KeycloakConsentMirror.class);
    private static final String LOCK = "proxyme-consent::";

    private KeycloakConsentMirror() {}

    /** After this transaction commits: the user's consent record for the agent follows their delegations to it. */
    public static void followOnCommit(KeycloakSession session, RealmModel realm, String userId, String agentClientId) {
        Pending pending = session.getAttribute(Pending.class.getName(), Pending.class);
        if (pending == null) {
            pending = new Pending(session);
            session.setAttribute(Pending.class.getName(), pending);
            session.getTransactionManager().enlistAfterCompletion(pending);
        }
        pending.keys.add(new Key(realm.getId(), userId, agentClientId));
    }

    /** After this transaction commits: the consent records of every user with an active delegation to the agent. */
    public static void followAgentOnCommit(KeycloakSession session, RealmModel realm, String agentClientId) {
        session.getProvider(DelegationProvider.class).findActiveOfAgent(realm, agentClientId).stream()
                .map(Delegation::userId)
                .distinct()
                .forEach(userId -> followOnCommit(session, realm, userId, agentClientId));
    }

    private record Key(String realmId, String userId, String agentClientId) {}

    private static final class Pending extends AbstractKeycloakTransaction {

        private final KeycloakSessionFactory factory;
        private final ClusterProvider cluster;
        private final Set<Key> keys = new LinkedHashSet<>();

        private Pending(KeycloakSession session) {
            this.factory = session.getKeycloakSessionFactory();
            this.cluster = session.getProvider(ClusterProvider.class);
        }

        @Override
        protected void commitImpl() {
            keys.forEach(this::follow);
        }

        @Override
        protected void rollbackImpl() {}

        /** Recomputed in a transaction of its own, committed before the lock is let go, so the next holder reads it. */
        private void follow(Key key) {
            try {
                boolean done = ClusterLock.callExclusively(
                                cluster, LOCK + key.realmId() + ":" + key.userId() + ":" + key.agentClientId(), () -> {
                                    KeycloakModelUtils.runJobInTransaction(factory, session -> recompute(session, key));
                                    return key;
                                })
                        .isPresent();
                if (!done) {
                    logger.warnf(
                            "Keycloak's consent record of user %s for agent %s was left as it was: its lock stayed taken",
                            key.userId(), key.agentClientId());
                }
            } catch (RuntimeException failed) {
                logger.warnf(
                        "Could not bring Keycloak's consent record of user %s for agent %s in line with the delegations:"
                                + " %s",
                        key.userId(), key.agentClientId(), failed.toString());
            }
        }
    }

    private static void recompute(KeycloakSession session, Key key) {
        RealmModel realm = session.realms().getRealm(key.realmId());
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm);
        ClientModel client = realm.getClientByClientId(key.agentClientId());
        Agent agent = Agent.of(client).orElse(null);
        if (agent == null || session.users().getUserById(realm, key.userId()) == null) {
            return;
        }
        Set<String> granted = new TreeSet<>();
        session
                .getProvider(DelegationProvider.class)
                .findActiveOfUserToAgent(realm, key.userId(), key.agentClientId())
                .stream()
                .filter(delegation -> Agent.allowsPortal(client, delegation.portalClientId()))
                .forEach(delegation -> granted.addAll(delegation.scopes().names()));
        granted.retainAll(agent.allowedScopes().names());
        UserConsentModel current = currentConsent(session, realm, key.userId(), client);
        if (granted.isEmpty()) {
            if (current != null) {
                session.users().revokeConsentForClient(realm, key.userId(), client.getId());
            }
            return;
        }
        UserConsentModel wanted = new UserConsentModel(client);
        for (String name : granted) {
            ClientScopeModel scope = KeycloakModelUtils.getClientScopeByName(realm, name);
            if (scope != null) {
                wanted.addGrantedClientScope(scope);
            }
        }
        if (current == null) {
            session.users().addConsent(realm, key.userId(), wanted);
        } else if (!idsOf(current).equals(idsOf(wanted))) {
            try {
                session.users().updateConsent(realm, key.userId(), wanted);
            } catch (ModelException goneMeanwhile) {
                // Keycloak's own screens removed it without the lock: it is made anew.
                session.users().addConsent(realm, key.userId(), wanted);
            }
        }
    }

    private static Set<String> idsOf(UserConsentModel consent) {
        return consent.getGrantedClientScopes().stream()
                .map(ClientScopeModel::getId)
                .collect(Collectors.toSet());
    }

    /** The consent record, or none after removing the several an earlier version could leave (Keycloak refuses two). */
    private static UserConsentModel currentConsent(
            KeycloakSession session, RealmModel realm, String userId, ClientModel client) {
        try {
            return session.users().getConsentByClient(realm, userId, client.getId());
        } catch (ModelException several) {
            session.getProvider(DelegationProvider.class).removeKeycloakConsents(userId, client.getId());
            return null;
        }
    }
}
