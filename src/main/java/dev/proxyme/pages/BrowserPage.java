package dev.proxyme.pages;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.keycloak.common.util.Base64Url;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import dev.proxyme.web.FormNonces;
import dev.proxyme.web.RequestOrigin;
import dev.proxyme.web.Responses;

/**
 * What Proxyme's pages in Keycloak's UI share: the user Keycloak's identity cookie names, the way to Keycloak's login
 * and back, rendering with the realm's login theme, and proof that a form was posted from Proxyme's own page.
 *
 * <p>The identity cookie is SameSite=None, so a cookie-authenticated POST must show it came from this server: the
 * cookie's state checker echoed in the form (constant-time comparison), and its origin. Keycloak's pages send
 * {@code Referrer-Policy: no-referrer}, under which browsers send {@code Origin: null} even for same-origin forms;
 * there, Fetch Metadata ({@code Sec-Fetch-Site}, which no page can forge) tells same-origin from cross-site.
 */
public final class BrowserPage {

    public static final String STATE_CHECKER_FIELD = "state_checker";

    private final KeycloakSession session;
    private final RealmModel realm;

    public BrowserPage(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    /** The logged-in user, or null. */
    public AuthResult authenticate() {
        return AuthenticationManager.authenticateIdentityCookie(session, realm, true);
    }

    public MultivaluedMap<String, String> form() {
        return session.getContext().getHttpRequest().getDecodedFormParameters();
    }

    /** Sends the person through the realm's login (with whatever MFA it requires), back to one of Proxyme's pages. */
    public Response redirectToLogin(URI proxymePage) {
        String verifier = SecretGenerator.getInstance().randomString(64);
        String challenge;
        try {
            challenge = Base64Url.encode(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // Keycloak returns only to this client's registered pages: Proxyme's own, never a URL an agent chose.
        return Response.seeOther(URI.create(realmUri() + "/protocol/openid-connect/auth"
                        + "?client_id=" + encode(LoginClient.CLIENT_ID)
                        + "&response_type=code&scope=openid"
                        + "&redirect_uri=" + encode(proxymePage.toString())
                        + "&state=" + encode(SecretGenerator.getInstance().randomString(22))
                        + "&code_challenge=" + encode(challenge) + "&code_challenge_method=S256"))
                .build();
    }

    public URI logoutUri(URI returnTo) {
        return URI.create(realmUri() + "/protocol/openid-connect/logout?client_id=" + encode(LoginClient.CLIENT_ID)
                + "&post_logout_redirect_uri=" + encode(returnTo.toString()));
    }

    /** Why a cookie-authenticated form cannot have come from this server's page, or null when it can. */
    public String forgeryOf(MultivaluedMap<String, String> form) {
        if (!isSameOrigin()) {
            return "from another origin";
        }
        String expected = stateChecker();
        String echoed = form.getFirst(STATE_CHECKER_FIELD);
        if (echoed == null
                || expected.isEmpty()
                || !MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), echoed.getBytes(StandardCharsets.UTF_8))) {
            return "without the session's state checker";
        }
        return null;
    }

    /** A one-time nonce for a form shown to this user, valid 15 minutes. */
    public String issueFormNonce(String userId) {
        return new FormNonces(session.singleUseObjects()).issue(userId, 15 * 60, Map.of());
    }

    /** Consumes a form nonce: true only once, and only for the user it was issued to. */
    public boolean consumeFormNonce(String nonce, String userId) {
        return new FormNonces(session.singleUseObjects()).consume(nonce, userId).isPresent();
    }

    /** The value a form must echo: set by Keycloak when it authenticates the identity cookie. */
    public String stateChecker() {
        Object checker = session.getAttribute("state_checker");
        return checker == null ? "" : checker.toString();
    }

    public Response render(String template, UserModel user, Map<String, Object> view, int status) {
        if (user != null) {
            view.put("username", user.getUsername());
        }
        Response page = session.getProvider(LoginFormsProvider.class)
                .setAttribute("proxyme", view)
                .createForm(template);
        return status == page.getStatus()
                ? page
                : Response.fromResponse(page).status(status).build();
    }

    public URI pageUri(String path) {
        return Responses.proxymeUri(session, path);
    }

    private String realmUri() {
        return Responses.realmUri(session);
    }

    private boolean isSameOrigin() {
        URI base = session.getContext().getUri().getBaseUri();
        return RequestOrigin.isSameOrigin(
                session.getContext().getRequestHeaders(), base.getScheme() + "://" + base.getRawAuthority(), false);
    }

    public static String encode(String value) {
        return Responses.encode(value);
    }
}
