package dev.proxyme.consent;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.proxyme.ProxymeException;
import dev.proxyme.agent.Agent;
import dev.proxyme.audit.Actor;
import dev.proxyme.audit.AuditAction;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.audit.AuditRecord;
import dev.proxyme.delegation.Scopes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.util.Base64Url;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * Proxyme's consent pages at {@code /realms/{realm}/proxyme/consent}, rendered with the realm's login theme: enter a
 * user code, see what an agent asks for, approve or deny. The user is the one Keycloak's identity cookie names; that
 * cookie is SameSite=None, so every POST proves it came from this page: the cookie's state checker echoed in the
 * form, an Origin of this server, and (for decisions) a one-time nonce bound to the request and the user.
 */
public class ConsentResource {

    static final String TEMPLATE = "proxyme-consent.ftl";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ConsentService consent;

    public ConsentResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.consent = new ConsentService(session, realm);
    }

    /** The verification URI (RFC 8628 section 3.3): with a code, the request's consent page; without, a code form. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@QueryParam("user_code") String userCode) {
        AuthResult auth = AuthenticationManager.authenticateIdentityCookie(session, realm, true);
        if (auth == null) {
            return redirectToLogin(userCode);
        }
        UserModel user = auth.user();
        if (userCode == null || userCode.isBlank()) {
            return codeForm(user, null);
        }
        String sourceAddress = session.getContext().getConnection().getRemoteAddr();
        if (consent.requests().tooManyWrongCodes(sourceAddress)) {
            return codeForm(user, "proxymeCodeTooManyAttempts");
        }
        Optional<DelegationRequest> request = UserCodes.normalize(userCode).flatMap(code -> consent.requests().byUserCode(code));
        if (request.isEmpty()) {
            consent.requests().recordWrongCode(sourceAddress);
            return codeForm(user, "proxymeCodeInvalid");
        }
        return consentPage(user, request.get());
    }

    /** The user typed a code: show its request (the code travels in the URL of the page, as RFC 8628's complete URI). */
    @POST
    @Path("code")
    @Produces(MediaType.TEXT_HTML)
    public Response enterCode() {
        AuthResult auth = AuthenticationManager.authenticateIdentityCookie(session, realm, true);
        if (auth == null) {
            return redirectToLogin(null);
        }
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        String forgery = forgeryOf(form);
        if (forgery != null) {
            return refused(auth.user(), "code form " + forgery);
        }
        Optional<String> code = UserCodes.normalize(form.getFirst("user_code"));
        if (code.isEmpty()) {
            return codeForm(auth.user(), "proxymeCodeInvalid");
        }
        return Response.seeOther(pageUri(code.get())).build();
    }

    @POST
    @Path("decision")
    @Produces(MediaType.TEXT_HTML)
    public Response decide() {
        AuthResult auth = AuthenticationManager.authenticateIdentityCookie(session, realm, true);
        if (auth == null) {
            return result(null, "proxymeResultSessionEnded", "session-ended", 401);
        }
        UserModel user = auth.user();
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        String forgery = forgeryOf(form);
        if (forgery != null) {
            return refused(user, "consent form " + forgery);
        }
        Optional<DelegationRequest> request = UserCodes.normalize(form.getFirst("user_code"))
                .flatMap(code -> consent.requests().byUserCode(code));
        if (request.isEmpty()) {
            return result(user, "proxymeResultExpired", "expired", 400);
        }
        if (!consent.requests().consumeNonce(form.getFirst("nonce"), request.get(), user.getId())) {
            return refused(user, "consent form replayed or forged");
        }
        if (ConsentService.isForAnotherUser(request.get(), user)) {
            return refused(user, "consent form for another user");
        }
        try {
            if ("approve".equals(form.getFirst("decision"))) {
                consent.approve(user, request.get());
                return result(user, "proxymeResultApproved", "approved", 200);
            }
            consent.deny(user, request.get());
            return result(user, "proxymeResultDenied", "denied", 200);
        } catch (ProxymeException notDecided) {
            return result(user, "proxymeResultDecided", "decided", 409);
        }
    }

    private Response consentPage(UserModel user, DelegationRequest request) {
        Agent agent;
        try {
            agent = consent.agentOf(request);
        } catch (ProxymeException gone) {
            return result(user, "proxymeResultExpired", "expired", 400);
        }
        if (consent.requests().decisionOf(request).isPresent()) {
            return result(user, "proxymeResultDecided", "decided", 409);
        }
        Map<String, Object> view = view("wrong-user");
        if (ConsentService.isForAnotherUser(request, user)) {
            view.put("switchAccountUrl", logoutUri(pageUri(request.userCode())).toString());
            return render(user, view, 200);
        }
        Scopes granted = consent.alreadyGranted(user, request);
        Scopes toApprove = granted.union(request.scopes());
        List<Map<String, Object>> scopes = new ArrayList<>();
        for (String name : toApprove.names()) {
            ClientScopeModel scope = KeycloakModelUtils.getClientScopeByName(realm, name);
            String text = scope == null || scope.getConsentScreenText() == null || scope.getConsentScreenText().isBlank()
                    ? name : scope.getConsentScreenText();
            scopes.add(Map.of("name", name, "text", text, "isNew", !granted.names().contains(name)));
        }
        ClientModel portal = realm.getClientByClientId(request.portalClientId());
        view.put("view", "consent");
        view.put("agentName", displayName(agent.client()));
        view.put("agentClientId", agent.clientId());
        view.put("portalName", portal == null ? request.portalClientId() : displayName(portal));
        view.put("portalClientId", request.portalClientId());
        view.put("scopes", scopes);
        view.put("stepUp", !granted.isEmpty());
        view.put("purpose", request.purpose());
        view.put("durationMinutes", request.delegationSeconds() / 60);
        view.put("durationHours", request.delegationSeconds() / 3600);
        view.put("durationInHours", request.delegationSeconds() % 3600 == 0);
        view.put("tokenMinutes", Math.max(1, agent.tokenLifetimeSeconds() / 60));
        view.put("userCode", request.userCode());
        view.put("nonce", consent.requests().issueNonce(request, user.getId()));
        view.put("stateChecker", stateChecker());
        view.put("decisionUrl", actionUri("decision").toString());
        return render(user, view, 200);
    }

    private Response codeForm(UserModel user, String errorMessage) {
        Map<String, Object> view = view("code");
        view.put("codeUrl", actionUri("code").toString());
        view.put("stateChecker", stateChecker());
        if (errorMessage != null) {
            view.put("error", errorMessage);
        }
        return render(user, view, errorMessage == null ? 200 : 400);
    }

    private Response result(UserModel user, String message, String outcome, int status) {
        Map<String, Object> view = view("result");
        view.put("message", message);
        view.put("outcome", outcome);
        return render(user, view, status);
    }

    /** A form that did not come from this page: nothing is granted, and the attempt is audited. */
    private Response refused(UserModel user, String why) {
        new AuditLog(session, realm).recordRefusal(EventType.GRANT_CONSENT,
                AuditRecord.of(AuditAction.REQUEST_REFUSED, Actor.user(user.getId()))
                        .delegation(null, user.getId(), null, null, null).detail("access_denied: " + why), "invalid_request");
        return result(user, "proxymeResultRefused", "refused", 403);
    }

    private Response render(UserModel user, Map<String, Object> view, int status) {
        if (user != null) {
            view.put("username", user.getUsername());
        }
        Response page = session.getProvider(LoginFormsProvider.class)
                .setAttribute("proxyme", view)
                .createForm(TEMPLATE);
        return status == page.getStatus() ? page : Response.fromResponse(page).status(status).build();
    }

    private static Map<String, Object> view(String name) {
        Map<String, Object> view = new HashMap<>();
        view.put("view", name);
        return view;
    }

    private Response redirectToLogin(String userCode) {
        ConsentClient.ensure(session, realm);
        String verifier = SecretGenerator.getInstance().randomString(64);
        String challenge;
        try {
            challenge = Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // Keycloak returns only to this client's registered pages: Proxyme's own, never a URL an agent chose.
        URI login = URI.create(realmUri() + "/protocol/openid-connect/auth"
                + "?client_id=" + encode(ConsentClient.CLIENT_ID)
                + "&response_type=code&scope=openid"
                + "&redirect_uri=" + encode(pageUri(UserCodes.normalize(userCode).orElse(null)).toString())
                + "&state=" + encode(SecretGenerator.getInstance().randomString(22))
                + "&code_challenge=" + encode(challenge) + "&code_challenge_method=S256");
        return Response.seeOther(login).build();
    }

    private URI logoutUri(URI returnTo) {
        return URI.create(realmUri() + "/protocol/openid-connect/logout?client_id=" + encode(ConsentClient.CLIENT_ID)
                + "&post_logout_redirect_uri=" + encode(returnTo.toString()));
    }

    private URI pageUri(String userCode) {
        return URI.create(realmUri() + "/proxyme/consent" + (userCode == null ? "" : "?user_code=" + encode(userCode)));
    }

    private URI actionUri(String action) {
        return URI.create(realmUri() + "/proxyme/consent/" + action);
    }

    private String realmUri() {
        String base = session.getContext().getUri().getBaseUri().toString().replaceAll("/$", "");
        return base + "/realms/" + encode(realm.getName());
    }

    /** Why a cookie-authenticated form cannot have come from this page, or null when it can. */
    private String forgeryOf(MultivaluedMap<String, String> form) {
        if (!isSameOrigin()) {
            return "from another origin";
        }
        if (!stateCheckerMatches(form.getFirst("state_checker"))) {
            return "without the session's state checker";
        }
        return null;
    }

    /**
     * The form was posted from this server's pages. Keycloak's pages send {@code Referrer-Policy: no-referrer}, under
     * which browsers send {@code Origin: null} even for same-origin forms; there, Fetch Metadata
     * ({@code Sec-Fetch-Site}, which no page can forge) tells a same-origin post from a cross-site one.
     */
    private boolean isSameOrigin() {
        String origin = session.getContext().getRequestHeaders().getHeaderString("Origin");
        URI base = session.getContext().getUri().getBaseUri();
        if (origin != null && !"null".equals(origin)) {
            return origin.equals(base.getScheme() + "://" + base.getRawAuthority());
        }
        return "same-origin".equals(session.getContext().getRequestHeaders().getHeaderString("Sec-Fetch-Site"));
    }

    private String stateChecker() {
        Object checker = session.getAttribute("state_checker");
        return checker == null ? "" : checker.toString();
    }

    private boolean stateCheckerMatches(String echoed) {
        String expected = stateChecker();
        return echoed != null && !expected.isEmpty()
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), echoed.getBytes(StandardCharsets.UTF_8));
    }

    private static String displayName(ClientModel client) {
        return client.getName() == null || client.getName().isBlank() ? client.getClientId() : client.getName();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
