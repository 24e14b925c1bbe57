package dev.proxyme.agent;

import java.util.Optional;

import dev.proxyme.Proxyme;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/** Portals: enabled confidential clients of the realm marked with {@value Proxyme#PORTAL_ATTRIBUTE} = true. */
public final class Portals {

    private Portals() {
    }

    public static boolean isPortal(ClientModel client) {
        return client != null && client.isEnabled() && !client.isPublicClient() && !client.isBearerOnly()
                && Boolean.parseBoolean(client.getAttribute(Proxyme.PORTAL_ATTRIBUTE));
    }

    public static Optional<ClientModel> find(RealmModel realm, String portalClientId) {
        return Optional.ofNullable(portalClientId).map(realm::getClientByClientId).filter(Portals::isPortal);
    }
}
