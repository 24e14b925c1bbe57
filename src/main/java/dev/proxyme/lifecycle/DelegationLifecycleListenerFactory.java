package dev.proxyme.lifecycle;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.timer.TimerProvider;

import dev.proxyme.ProxymeNode;
import dev.proxyme.admin.AdminConsoleForms;
import dev.proxyme.clients.Agent;
import dev.proxyme.model.Actor;
import dev.proxyme.revocation.DelegationRevocation;
import dev.proxyme.store.ActivityProvider;
import dev.proxyme.store.AuditProvider;
import dev.proxyme.store.DelegationProvider;

/**
 * The lifecycle of delegations beyond requests: a global event listener (no realm configuration needed), model
 * events for deletions, and the scheduled expiry task.
 */
public class DelegationLifecycleListenerFactory implements EventListenerProviderFactory {

    public static final String ID = "proxyme";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new DelegationLifecycleListener(session);
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(DelegationLifecycleListenerFactory::onModelEvent);
        try (KeycloakSession session = factory.create()) {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            long interval = ProxymeNode.of(factory).settings().expiryIntervalSeconds() * 1000L;
            timer.scheduleTask(new ExpiryTask(), interval, ExpiryTask.NAME);
        }
    }

    /**
     * Deleting a user or an agent ends their delegations (rows kept for the audit); deleting a realm removes its rows;
     * a new realm, and at start every realm, gets what Proxyme sets up in it.
     */
    private static void onModelEvent(ProviderEvent event) {
        if (event instanceof UserModel.UserRemovedEvent removed) {
            new DelegationRevocation(removed.getKeycloakSession(), removed.getRealm())
                    .revokeAllOfUser(removed.getUser().getId(), Actor.SYSTEM, "user_deleted");
        } else if (event instanceof ClientModel.ClientRemovedEvent removed) {
            ClientModel client = removed.getClient();
            AdminConsoleForms.forgetClient(client.getRealm(), client.getClientId());
            if (Agent.isAgent(client)) {
                new DelegationRevocation(removed.getKeycloakSession(), client.getRealm())
                        .revokeAllOfAgent(client.getClientId(), Actor.SYSTEM, "agent_deleted");
            }
        } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
            RealmSetup.setUp(created.getKeycloakSession(), created.getCreatedRealm());
        } else if (event instanceof PostMigrationEvent migrated) {
            RealmSetup.setUpEveryRealm(migrated.getFactory());
        } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
            removed.getKeycloakSession().getProvider(DelegationProvider.class).removeRealm(removed.getRealm());
            removed.getKeycloakSession().getProvider(AuditProvider.class).removeRealm(removed.getRealm());
            removed.getKeycloakSession().getProvider(ActivityProvider.class).removeRealm(removed.getRealm());
        }
    }

    @Override
    public void close() {}
}
