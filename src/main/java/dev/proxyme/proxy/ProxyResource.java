package dev.proxyme.proxy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.proxyme.Proxyme;
import dev.proxyme.agent.Portals;
import dev.proxyme.audit.Actor;
import dev.proxyme.delegation.DelegationService;
import dev.proxyme.delegation.Scopes;
import dev.proxyme.token.DelegationTokenVerifier;
import dev.proxyme.token.DelegationTokenVerifier.VerifiedToken;
import dev.proxyme.web.RequestOrigin;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCClientSecretConfigWrapper;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.Urls;

/**
 * Forward authentication for reverse proxies (nginx {@code auth_request}, Caddy {@code forward_auth}) at
 * {@code /realms/{realm}/proxyme/proxy/}. The proxy authenticates as the portal it fronts: the portal's client id in
 * {@value #PORTAL_HEADER} and its client secret in {@value #PORTAL_SECRET_HEADER}, both set by the proxy's
 * configuration, so that only the proxy, never an agent calling Keycloak itself, receives the user's identity. The
 * original request is named in {@code X-Forwarded-Method}, {@code X-Forwarded-Uri}, {@code X-Forwarded-Host}.
 *
 * <p>{@code check} runs for every request to a portal, so it verifies locally (signature, expiry, revoked-token store,
 * delegation state in the database) and calls no HTTP endpoint; it caches no decision, so a revoked or expired
 * delegation is refused on the very next request.
 */
public class ProxyResource {

    public static final String PORTAL_HEADER = "X-Proxyme-Portal";
    public static final String PORTAL_SECRET_HEADER = "X-Proxyme-Portal-Secret";
    public static final String SESSION_COOKIE = "proxyme_session";
    /** Headers whose second copy would make the request mean two things: refused rather than joined. */
    private static final List<String> SINGLE_VALUED = List.of(PORTAL_HEADER, PORTAL_SECRET_HEADER, HttpHeaders.AUTHORIZATION,
            "X-Forwarded-Method", "X-Forwarded-Uri", "X-Forwarded-Host", "X-Forwarded-Proto");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final HttpHeaders headers;

    public ProxyResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.headers = session.getContext().getRequestHeaders();
    }

    @GET
    @Path("check")
    @Produces(MediaType.APPLICATION_JSON)
    public Response check() {
        Optional<Response> refused = checkHeaders().or(this::checkProxyAuthenticated);
        if (refused.isPresent()) {
            return refused.get();
        }
        ClientModel portal = authenticatedPortal().orElseThrow();
        String token = presentedToken();
        if (token == null) {
            return unauthorized(null, "A delegation token is required");
        }
        Optional<VerifiedToken> verified = new DelegationTokenVerifier(session, realm).verify(token);
        if (verified.isEmpty()) {
            return unauthorized("invalid_token", "The delegation token is not valid");
        }
        VerifiedToken valid = verified.get();
        String portalClientId = portal.getClientId();
        Set<String> scopes = Scopes.parse(valid.token().getScope()).names();
        if (!valid.delegation().portalClientId().equals(portalClientId)
                || !RouteRules.parse(portal.getAttribute(RouteRules.ATTRIBUTE))
                        .allows(headers.getHeaderString("X-Forwarded-Method"), headers.getHeaderString("X-Forwarded-Uri"), scopes)) {
            return insufficientScope();
        }
        return Response.ok("{\"allowed\":true}", MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noStore())
                .header("X-Proxyme-User", valid.user().getId())
                .header("X-Proxyme-Username", valid.user().getUsername())
                .header("X-Proxyme-Agent", valid.agent().getClientId())
                .header("X-Proxyme-Scopes", String.join(" ", scopes))
                .header("X-Proxyme-Delegation", valid.delegation().id())
                .header("X-Proxyme-Assertion", AssertionCache.get(valid.token().getId(), portalClientId, Time.currentTime(),
                        () -> assertion(valid, portalClientId)))
                // Always present, empty when the user has none: Caddy 2.6's copy_headers would otherwise copy the
                // literal placeholder text of a missing header; the shipped configs drop the empty header.
                .header("X-Proxyme-Email", valid.user().getEmail() == null ? "" : valid.user().getEmail())
                .build();
    }

    /**
     * The agent's browser hands over its token once (form field {@code token}, or {@code Authorization: Bearer}) and
     * gets an HttpOnly, Secure, SameSite=Strict cookie for the portal's host, which never outlives the token. A form
     * posted from another site is refused (login CSRF: it would plant another delegation's session).
     */
    @POST
    @Path("session")
    @Produces(MediaType.APPLICATION_JSON)
    public Response startSession() {
        Optional<Response> refused = checkHeaders().or(this::checkSameOriginAsPortal);
        if (refused.isPresent()) {
            return refused.get();
        }
        ClientModel portal = namedPortal().orElseThrow();
        String token = bearer();
        if (token == null) {
            token = session.getContext().getHttpRequest().getDecodedFormParameters().getFirst("token");
        }
        Optional<VerifiedToken> verified = new DelegationTokenVerifier(session, realm).verify(token);
        if (verified.isEmpty()) {
            return unauthorized("invalid_token", "The delegation token is not valid");
        }
        if (!verified.get().delegation().portalClientId().equals(portal.getClientId())) {
            return insufficientScope();
        }
        long maxAge = Math.max(0, Math.min(verified.get().token().getExp(), verified.get().delegation().expiresAtMillis() / 1000)
                - Time.currentTime());
        return Response.ok("{\"status\":\"session started\"}", MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore())
                .cookie(sessionCookie(token, (int) maxAge)).build();
    }

    /**
     * Ends the delegated session: the delegation is revoked (the first design's cleanup) and the cookie cleared. A
     * form posted from another site is refused: it would end the victim's delegation.
     */
    @POST
    @Path("logout")
    @Produces(MediaType.APPLICATION_JSON)
    public Response logout() {
        List<String> portalHeader = headers.getRequestHeader(PORTAL_HEADER);
        Optional<Response> refused = portalHeader != null && portalHeader.size() > 1
                ? Optional.of(refusal(400, "invalid_request", "Send " + PORTAL_HEADER + " at most once"))
                : checkSameOriginAsPortal();
        if (refused.isPresent()) {
            return refused.get();
        }
        // Whoever holds a genuine token of the delegation may end it; the portal header is the proxy's word, not
        // proof, so only a portal of this realm is recorded as the actor.
        Actor actor = Actor.client(namedPortal().map(ClientModel::getClientId).orElse(null));
        new DelegationTokenVerifier(session, realm).delegationIdOfGenuineToken(presentedToken())
                .ifPresent(id -> new DelegationService(session, realm).revoke(id, actor, "proxy_logout"));
        return Response.ok("{\"status\":\"logged out\"}", MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore())
                .cookie(sessionCookie("", 0)).build();
    }

    /** One copy of each header that decides, and a portal of this realm named by the proxy. */
    private Optional<Response> checkHeaders() {
        for (String name : SINGLE_VALUED) {
            List<String> values = headers.getRequestHeader(name);
            if (values != null && values.size() > 1) {
                return Optional.of(refusal(400, "invalid_request", "Send " + name + " at most once"));
            }
        }
        if (namedPortal().isEmpty()) {
            return Optional.of(refusal(400, "invalid_request", "The proxy must name a portal of this realm in " + PORTAL_HEADER));
        }
        return Optional.empty();
    }

    /** The check hands out the user's identity: only to the proxy, which authenticates as the portal it fronts. */
    private Optional<Response> checkProxyAuthenticated() {
        return authenticatedPortal().isPresent() ? Optional.empty() : Optional.of(refusal(401, "invalid_client",
                "The proxy must authenticate as the portal: its client secret in " + PORTAL_SECRET_HEADER));
    }

    private Optional<ClientModel> namedPortal() {
        return Portals.find(realm, headers.getHeaderString(PORTAL_HEADER));
    }

    /** The portal the proxy fronts, when the proxy presented that portal's client secret (current or rotated). */
    private Optional<ClientModel> authenticatedPortal() {
        String secret = headers.getHeaderString(PORTAL_SECRET_HEADER);
        return namedPortal().filter(portal -> {
            if (secret == null || secret.isEmpty()) {
                return false;
            }
            OIDCClientSecretConfigWrapper credentials = OIDCClientSecretConfigWrapper.fromClientModel(portal);
            return credentials.validateSecret(session, secret) || credentials.validateRotatedSecret(session, secret);
        });
    }

    private Optional<Response> checkSameOriginAsPortal() {
        String host = headers.getHeaderString("X-Forwarded-Host");
        String scheme = headers.getHeaderString("X-Forwarded-Proto");
        String portalOrigin = host == null ? null : (scheme == null ? "https" : scheme) + "://" + host;
        return RequestOrigin.isSameOrigin(headers, portalOrigin, true) ? Optional.empty()
                : Optional.of(refusal(403, "access_denied", "The request did not come from the portal's own pages"));
    }

    private String assertion(VerifiedToken valid, String portalClientId) {
        IdentityAssertion assertion = new IdentityAssertion();
        int now = Time.currentTime();
        assertion.id(UUID.randomUUID().toString());
        assertion.type(Proxyme.IDENTITY_ASSERTION_TYPE);
        assertion.issuer(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        assertion.audience(portalClientId);
        assertion.subject(valid.user().getId());
        assertion.issuedFor(valid.agent().getClientId());
        assertion.iat((long) now);
        assertion.exp((long) now + IdentityAssertion.LIFETIME_SECONDS);
        assertion.getOtherClaims().put("preferred_username", valid.user().getUsername());
        if (valid.user().getEmail() != null) {
            assertion.getOtherClaims().put("email", valid.user().getEmail());
        }
        assertion.getOtherClaims().put("scope", valid.token().getScope());
        assertion.getOtherClaims().put(Proxyme.CLAIM_DELEGATION_ID, valid.delegation().id());
        return session.tokens().encode(assertion);
    }

    private String presentedToken() {
        String bearer = bearer();
        if (bearer != null) {
            return bearer;
        }
        var cookie = headers.getCookies().get(SESSION_COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    private String bearer() {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    private static NewCookie sessionCookie(String value, int maxAge) {
        return new NewCookie.Builder(SESSION_COOKIE).value(value).path("/").maxAge(maxAge).httpOnly(true).secure(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    /** RFC 6750 section 3: no error code when no token was presented at all. */
    private Response unauthorized(String error, String description) {
        String challenge = "Bearer realm=\"" + realm.getName() + "\"" + (error == null ? "" : ", error=\"" + error + "\"");
        return refusalBuilder(401, error == null ? "invalid_request" : error, description)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }

    private Response insufficientScope() {
        return refusalBuilder(403, "insufficient_scope", "The delegation does not cover this portal or route")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm.getName() + "\", error=\"insufficient_scope\"").build();
    }

    private static Response refusal(int status, String error, String description) {
        return refusalBuilder(status, error, description).build();
    }

    private static Response.ResponseBuilder refusalBuilder(int status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore())
                .entity(new OAuth2ErrorRepresentation(error, description));
    }

    private static CacheControl noStore() {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        noStore.setNoTransform(false);
        return noStore;
    }
}
