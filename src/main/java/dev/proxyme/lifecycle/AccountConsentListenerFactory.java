package dev.proxyme.lifecycle;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Listens to every realm's events (a global listener needs no realm configuration) so that what users do in Keycloak's
 * own UI reaches their delegations.
 */
public class AccountConsentListenerFactory implements EventListenerProviderFactory {

    public static final String ID = "proxyme";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new AccountConsentListener(session);
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
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
