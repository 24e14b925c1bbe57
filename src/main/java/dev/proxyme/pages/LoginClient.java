package dev.proxyme.pages;

import java.util.List;
import java.util.Map;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.managers.ClientManager;

/**
 * The client through which Proxyme's pages (consent, my delegations) send a person to the realm's login: Keycloak's login (with whatever MFA
 * the realm requires) always runs for a client, and returns only to that client's registered pages, Proxyme's own.
 * Created in every realm, with the realm (see {@code lifecycle.RealmSetup}).
 */
public final class LoginClient {

    static final String CLIENT_ID = "proxyme-consent";

    private LoginClient() {}

    /** Creates the client in the given session's transaction, e.g. with a new realm. */
    public static void createIfMissing(KeycloakSession session, RealmModel realm) {
        if (realm.getClientByClientId(CLIENT_ID) == null) {
            ClientManager.createClient(session, realm, representation(realm));
        }
    }

    private static ClientRepresentation representation(RealmModel realm) {
        String consent = "/realms/" + realm.getName() + "/proxyme/consent*";
        String delegations = "/realms/" + realm.getName() + "/proxyme/delegations*";
        ClientRepresentation rep = new ClientRepresentation();
        rep.setClientId(CLIENT_ID);
        // Shown under "Applications" in the Account Console, with a link to the user's delegations.
        rep.setName("Agent access (Proxyme)");
        rep.setBaseUrl("/realms/" + realm.getName() + "/proxyme/delegations");
        rep.setAlwaysDisplayInConsole(true);
        rep.setDescription("Proxyme's consent pages: users log in here to decide what agents may do");
        rep.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        rep.setPublicClient(true);
        rep.setStandardFlowEnabled(true);
        rep.setDirectAccessGrantsEnabled(false);
        rep.setImplicitFlowEnabled(false);
        rep.setFullScopeAllowed(false);
        rep.setRootUrl("${authBaseUrl}");
        rep.setRedirectUris(List.of(consent, delegations));
        rep.setAttributes(Map.of(
                "pkce.code.challenge.method", "S256", "post.logout.redirect.uris", consent + "##" + delegations));
        return rep;
    }
}
