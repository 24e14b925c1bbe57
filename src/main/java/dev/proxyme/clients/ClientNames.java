package dev.proxyme.clients;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/** Clients as people should read them on pages and in representations. */
public final class ClientNames {

    private ClientNames() {}

    /** Its name, or its client id when it has none. */
    public static String displayName(ClientModel client) {
        return client.getName() == null || client.getName().isBlank() ? client.getClientId() : client.getName();
    }

    /** The same for a client named by id, which may no longer exist. */
    public static String displayName(RealmModel realm, String clientId) {
        ClientModel client = realm.getClientByClientId(clientId);
        return client == null ? clientId : displayName(client);
    }
}
