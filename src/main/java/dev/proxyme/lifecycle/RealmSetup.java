package dev.proxyme.lifecycle;

import java.util.List;

import org.jboss.logging.Logger;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.clientpolicy.ClientPolicyException;

import dev.proxyme.admin.AdminConsoleForms;
import dev.proxyme.agent.AgentRegistrationPolicyFactory;
import dev.proxyme.cimd.AgentDocumentExecutorFactory;
import dev.proxyme.clients.Agent;
import dev.proxyme.oauth.AgentConsentActionFactory;
import dev.proxyme.oauth.AgentRequestPolicyFactory;
import dev.proxyme.pages.LoginClient;

/**
 * What Proxyme sets up in a realm: the client its pages log users in through, the client registration policy that
 * keeps agents and portals to administrators, the consent page of agents' standard flows (a required action) and the
 * client policy that checks their requests, and agents' portal lists in their explicit form. Run when a realm is
 * created (imports included) and, at server start, for every realm, so that realms older than Proxyme get it too.
 */
final class RealmSetup {

    private static final Logger logger = Logger.getLogger(RealmSetup.class);

    private RealmSetup() {}

    static void setUp(KeycloakSession session, RealmModel realm) {
        LoginClient.createIfMissing(session, realm);
        AgentRegistrationPolicyFactory.install(realm);
        AgentConsentActionFactory.install(realm);
        try {
            AgentRequestPolicyFactory.install(session, realm);
            AgentDocumentExecutorFactory.install(session, realm);
        } catch (ClientPolicyException invalid) {
            // The realm's own client policies do not validate: Keycloak refuses to store any change to them.
            logger.warnf(
                    "Realm %s: Proxyme's client policies not installed: %s", realm.getName(), invalid.getErrorDetail());
        }
        makeAgentPortalsExplicit(realm);
        AdminConsoleForms.followRealm(session, realm);
        realm.getClientsStream()
                .filter(Agent::isAgent)
                .toList()
                .forEach(agent -> Agent.holdOpenIdConnectScopes(realm, agent));
    }

    /** Sets up every realm, each in a transaction of its own: a realm another node set up at the same time is skipped. */
    static void setUpEveryRealm(KeycloakSessionFactory factory) {
        List<String> realmIds = KeycloakModelUtils.runJobInTransactionWithResult(
                factory,
                session -> session.realms()
                        .getRealmsStream()
                        .map(RealmModel::getId)
                        .toList());
        for (String realmId : realmIds) {
            try {
                KeycloakModelUtils.runJobInTransaction(factory, session -> {
                    RealmModel realm = session.realms().getRealm(realmId);
                    if (realm != null) {
                        setUp(session, realm);
                    }
                });
            } catch (RuntimeException setUpByAnotherNode) {
                logger.debugf("Realm %s not set up here: %s", realmId, setUpByAnotherNode.getMessage());
            }
        }
    }

    /**
     * Before Proxyme wrote {@code *} for "any portal", an agent registered without portals had no attribute at all.
     * Absent now means none (Keycloak drops an attribute an administrator empties, so only an explicit value may
     * widen an agent's reach): an agent that has neither a portal list nor the mark that it is explicit gets the
     * {@code *} it meant, once; an agent with the mark and no list was cleared on purpose.
     */
    private static void makeAgentPortalsExplicit(RealmModel realm) {
        realm.getClientsStream()
                .filter(Agent::isAgent)
                .filter(agent -> agent.getAttribute(Agent.PORTALS_ATTRIBUTE) == null)
                .filter(agent -> !Boolean.parseBoolean(agent.getAttribute(Agent.PORTALS_EXPLICIT_ATTRIBUTE)))
                .forEach(agent -> {
                    agent.setAttribute(Agent.PORTALS_ATTRIBUTE, Agent.ANY_PORTAL);
                    agent.setAttribute(Agent.PORTALS_EXPLICIT_ATTRIBUTE, "true");
                });
    }
}
