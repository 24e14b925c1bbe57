package dev.proxyme.clients;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

import dev.proxyme.Proxyme;

/** Trusted backends: confidential clients whose service account holds realm role {@value Proxyme#DELEGATOR_ROLE}. */
public final class TrustedBackends {

    private TrustedBackends() {}

    public static boolean isTrustedBackend(KeycloakSession session, RealmModel realm, ClientModel client) {
        if (client.isPublicClient() || client.isBearerOnly() || !client.isServiceAccountsEnabled()) {
            return false;
        }
        RoleModel delegator = realm.getRole(Proxyme.DELEGATOR_ROLE);
        UserModel serviceAccount = session.users().getServiceAccount(client);
        return delegator != null
                && serviceAccount != null
                && serviceAccount.isEnabled()
                && serviceAccount.hasRole(delegator);
    }
}
