package dev.proxyme.proxy;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.proxyme.agent.Portals;
import dev.proxyme.audit.Actor;
import dev.proxyme.delegation.DelegationService;
import dev.proxyme.delegation.Scopes;
import dev.proxyme.token.DelegationTokenVerifier;
import dev.proxyme.token.DelegationTokenVerifier.VerifiedToken;
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
import org.keycloak.services.Urls;

/**
 * Forward authentication for reverse proxies (nginx {@code auth_request}, Caddy {@code forward_auth}) at
 * {@code /realms/{realm}/proxyme/proxy/}. The proxy names the portal it fronts in {@value #PORTAL_HEADER} and the
 * original request in {@code X-Forwarded-Method}, {@code X-Forwarded-Uri}, {@code X-Forwarded-Host}.
 *
 * <p>{@code check} runs for every request to a portal, so it verifies locally (signature, expiry, revoked-token store,
 * delegation state in the database) and calls no HTTP endpoint; it caches nothing, so a revoked or expired delegation
 * is refused on the very next request.
 */
public class ProxyResource {

    public static final String PORTAL_HEADER = "X-Proxyme-Portal";
    public static final String SESSION_COOKIE = "proxyme_session";

    private final KeycloakSession session;
    private final RealmModel realm;

    public ProxyResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @GET
    @Path("check")
    @Produces(MediaType.APPLICATION_JSON)
    public Response check() {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        Optional<ClientModel> portal = Portals.find(realm, headers.getHeaderString(PORTAL_HEADER));
        if (portal.isEmpty()) {
            return refusal(400, "invalid_request", "The proxy must name a portal of this realm in " + PORTAL_HEADER);
        }
        String token = presentedToken(headers);
        if (token == null) {
            return unauthorized(null, "A delegation token is required");
        }
        Optional<VerifiedToken> verified = new DelegationTokenVerifier(session, realm).verify(token);
        if (verified.isEmpty()) {
            return unauthorized("invalid_token", "The delegation token is not valid");
        }
        VerifiedToken valid = verified.get();
        String portalClientId = portal.get().getClientId();
        Set<String> scopes = Scopes.parse(valid.token().getScope()).names();
        if (!valid.delegation().portalClientId().equals(portalClientId)
                || !RouteRules.parse(portal.get().getAttribute(RouteRules.ATTRIBUTE))
                        .allows(headers.getHeaderString("X-Forwarded-Method"), headers.getHeaderString("X-Forwarded-Uri"), scopes)) {
            return insufficientScope();
        }
        Response.ResponseBuilder ok = Response.ok("{\"allowed\":true}", MediaType.APPLICATION_JSON_TYPE)
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
                .header("X-Proxyme-Email", valid.user().getEmail() == null ? "" : valid.user().getEmail());
        return ok.build();
    }

    /**
     * The agent's browser hands over its token once (form field {@code token}, or {@code Authorization: Bearer}) and
     * gets an HttpOnly, Secure, SameSite=Strict cookie for the portal's host, which never outlives the token.
     */
    @POST
    @Path("session")
    @Produces(MediaType.APPLICATION_JSON)
    public Response startSession() {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        Optional<ClientModel> portal = Portals.find(realm, headers.getHeaderString(PORTAL_HEADER));
        if (portal.isEmpty()) {
            return refusal(400, "invalid_request", "The proxy must name a portal of this realm in " + PORTAL_HEADER);
        }
        String token = bearer(headers);
        if (token == null) {
            token = session.getContext().getHttpRequest().getDecodedFormParameters().getFirst("token");
        }
        Optional<VerifiedToken> verified = new DelegationTokenVerifier(session, realm).verify(token);
        if (verified.isEmpty()) {
            return unauthorized("invalid_token", "The delegation token is not valid");
        }
        if (!verified.get().delegation().portalClientId().equals(portal.get().getClientId())) {
            return insufficientScope();
        }
        long maxAge = Math.max(0, Math.min(verified.get().token().getExp(), verified.get().delegation().expiresAtMillis() / 1000)
                - Time.currentTime());
        return Response.ok("{\"status\":\"session started\"}", MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore())
                .cookie(sessionCookie(token, (int) maxAge)).build();
    }

    /** Ends the delegated session: the delegation is revoked (the first design's cleanup) and the cookie cleared. */
    @POST
    @Path("logout")
    @Produces(MediaType.APPLICATION_JSON)
    public Response logout() {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        String token = presentedToken(headers);
        Optional<String> delegationId = new DelegationTokenVerifier(session, realm).delegationIdOfGenuineToken(token);
        // The portal header is the proxy's word, not proof: only a portal of this realm is recorded as the actor.
        Actor portal = Actor.client(Portals.find(realm, headers.getHeaderString(PORTAL_HEADER)).map(ClientModel::getClientId).orElse(null));
        delegationId.ifPresent(id -> new DelegationService(session, realm).revoke(id, portal, "proxy_logout"));
        return Response.ok("{\"status\":\"logged out\"}", MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore())
                .cookie(sessionCookie("", 0)).build();
    }

    private String assertion(VerifiedToken valid, String portalClientId) {
        IdentityAssertion assertion = new IdentityAssertion();
        int now = Time.currentTime();
        assertion.id(UUID.randomUUID().toString());
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
        assertion.getOtherClaims().put("delegation_id", valid.delegation().id());
        return session.tokens().encode(assertion);
    }

    private static String presentedToken(HttpHeaders headers) {
        String bearer = bearer(headers);
        if (bearer != null) {
            return bearer;
        }
        var cookie = headers.getCookies().get(SESSION_COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    private static String bearer(HttpHeaders headers) {
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
                .entity(new org.keycloak.representations.idm.OAuth2ErrorRepresentation(error, description));
    }

    private static CacheControl noStore() {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        noStore.setNoTransform(false);
        return noStore;
    }
}
