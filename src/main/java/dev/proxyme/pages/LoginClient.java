package dev.proxyme.pages;

import java.util.List;
import java.util.Map;

import org.keycloak.models.ClientModel;
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
    private static final String POST_LOGOUT_REDIRECT_URIS = "post.logout.redirect.uris";

    private LoginClient() {}

    /**
     * Creates the client in the given session's transaction, e.g. with a new realm; a client an earlier version made
     * gets the pages added since (the administrators' page).
     */
    public static void createIfMissing(KeycloakSession session, RealmModel realm) {
        ClientModel existing = realm.getClientByClientId(CLIENT_ID);
        if (existing == null) {
            ClientManager.createClient(session, realm, representation(realm));
            return;
        }
        ClientRepresentation wanted = representation(realm);
        for (String page : wanted.getRedirectUris()) {
            if (!existing.getRedirectUris().contains(page)) {
                existing.addRedirectUri(page);
            }
        }
        String logout = wanted.getAttributes().get(POST_LOGOUT_REDIRECT_URIS);
        if (!logout.equals(existing.getAttribute(POST_LOGOUT_REDIRECT_URIS))) {
            existing.setAttribute(POST_LOGOUT_REDIRECT_URIS, logout);
        }
    }

    private static ClientRepresentation representation(RealmModel realm) {
        String consent = "/realms/" + realm.getName() + "/proxyme/consent*";
        String delegations = "/realms/" + realm.getName() + "/proxyme/delegations*";
        String admin = "/realms/" + realm.getName() + "/proxyme/admin*";
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
        rep.setRedirectUris(List.of(consent, delegations, admin));
        rep.setAttributes(Map.of(
                "pkce.code.challenge.method",
                "S256",
                POST_LOGOUT_REDIRECT_URIS,
                consent + "##" + delegations + "##" + admin));
        return rep;
    }
}
