package dev.proxyme.admin;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Where the Admin Console's Proxyme forms (the realm settings' tab, the agents' and portals' pages) learn that what
 * they show changed some other way: each is a view of the realm's and clients' attributes, set to what Proxyme then
 * enforces.
 */
public final class AdminConsoleForms {

    private AdminConsoleForms() {}

    /** At a start and when a realm is made or imported: its tab and every client's row. */
    public static void followRealm(KeycloakSession session, RealmModel realm) {
        RealmSettingsTab.followAttributes(realm);
        ClientSettingsPage.followAll(session, realm);
    }

    /** The realm was updated (its attributes may have changed). */
    public static void followRealmAttributes(RealmModel realm) {
        RealmSettingsTab.followAttributes(realm);
    }

    /** A client was made or changed (by Proxyme's registration, the admin REST API, Keycloak's client screens). */
    public static void followClient(KeycloakSession session, RealmModel realm, String clientId) {
        ClientSettingsPage.follow(session, realm, clientId);
    }

    /** A client is being removed: its rows go with it. */
    public static void forgetClient(RealmModel realm, String clientId) {
        ClientSettingsPage.forget(realm, clientId);
    }
}
