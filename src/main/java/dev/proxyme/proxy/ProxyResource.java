package dev.proxyme.proxy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.proxyme.Proxyme;
import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.delegation.DelegationService;
import dev.proxyme.model.ActivityEntry;
import dev.proxyme.model.Actor;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Portals;
import dev.proxyme.model.Scopes;
import dev.proxyme.store.ActivityProvider;
import dev.proxyme.token.DelegationTokenVerifier;
import dev.proxyme.token.DelegationTokenVerifier.VerifiedToken;
import dev.proxyme.web.Attempt;
import dev.proxyme.web.ClientNames;
import dev.proxyme.web.DPoPProofs;
import dev.proxyme.web.RequestOrigin;
import dev.proxyme.web.Responses;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.VerificationException;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCClientSecretConfigWrapper;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.dpop.DPoP;
import org.keycloak.services.Urls;
import org.keycloak.services.util.DPoPUtil;

/**
 * Forward authentication for reverse proxies (nginx {@code auth_request}, Caddy {@code forward_auth}) at
 * {@code /realms/{realm}/proxyme/proxy/}. The proxy authenticates as the portal it fronts: the portal's client id in
 * {@value #PORTAL_HEADER} and its client secret in {@value #PORTAL_SECRET_HEADER}, both set by the proxy's
 * configuration, so that only the proxy, never an agent calling Keycloak itself, receives the user's identity. The
 * original request is named in {@code X-Forwarded-Method}, {@code X-Forwarded-Uri}, {@code X-Forwarded-Host}.
 *
 * <p>{@code check} runs for every request to a portal, so it verifies locally (signature, expiry, revoked-token store,
 * delegation state in the database) and calls no HTTP endpoint; it caches no decision, so a revoked or expired
 * delegation is refused on the very next request. Its refusals are not audited: they would let anyone make Keycloak
 * write a row per request.
 */
public class ProxyResource {

    public static final String PORTAL_HEADER = "X-Proxyme-Portal";
    public static final String PORTAL_SECRET_HEADER = "X-Proxyme-Portal-Secret";
    private static final String DPOP_SCHEME = "DPoP";
    /**
     * The session cookie. {@code __Host-}: browsers accept it only Secure, for Path=/ and without Domain, so a sibling
     * subdomain cannot toss its own into the portal's requests (RFC 6265bis section 4.1.3.2).
     */
    public static final String SESSION_COOKIE = "__Host-proxyme_session";
    /**
     * Headers by which some frameworks let a request say it is another method or URL than it is: a route rule would
     * judge one request and the portal serve another. Refused, whatever the portal does with them.
     */
    private static final List<String> OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
            "X-Original-URL", "X-Original-URI", "X-Rewrite-URL");
    /** Headers the proxy sets, whose second copy would make the request mean two things: refused rather than joined. */
    private static final List<String> SINGLE_VALUED = List.of(PORTAL_HEADER, PORTAL_SECRET_HEADER,
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
        return attempt().run(() -> {
            checkHeadersOnce();
            ClientModel portal = authenticatedPortal();
            checkNoOverride();
            Challenge challenge = new Challenge(portal);
            String token = presentedToken();
            try {
                return decide(portal, challenge, token);
            } catch (ProxymeException refused) {
                // A refusal is recorded only for a genuine token of this realm: anyone may send garbage.
                new DelegationTokenVerifier(session, realm).delegationIdOfGenuineToken(token)
                        .ifPresent(delegationId -> recordActivity(delegationId, false, refused.error() + ": " + refused.description()));
                throw refused;
            }
        });
    }

    private Response decide(ClientModel portal, Challenge challenge, String token) {
        VerifiedToken valid = verified(token, challenge);
        checkProofOfPossession(valid, token);
        Set<String> scopes = Scopes.parse(valid.token().getScope()).names();
        if (!valid.delegation().portalClientId().equals(portal.getClientId())
                || !challenge.rules.allows(forwardedMethod(), forwardedUri(), scopes)) {
            throw insufficientScope(challenge, challenge.stepUpScopes(scopes));
        }
        checkEnvelope(valid, scopes, challenge);
        recordActivity(valid.delegation().id(), true, null);
        String portalClientId = portal.getClientId();
        return Responses.noStore(Response.ok("{\"allowed\":true}", MediaType.APPLICATION_JSON_TYPE))
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
     * What agents did for their users: the proxy's decision on a request under a delegation, with its method and path
     * (no query string, no body, no token), queued and written behind (see {@code ActivityProvider}).
     */
    private void recordActivity(String delegationId, boolean allowed, String reason) {
        if ("false".equals(realm.getAttribute(Proxyme.ACTIVITY_ATTRIBUTE))) {
            return;
        }
        String method = forwardedMethod() == null ? "?" : forwardedMethod().toUpperCase(java.util.Locale.ROOT);
        session.getProvider(ActivityProvider.class).record(ActivityEntry.of(realm.getId(), delegationId, Time.currentTimeMillis(),
                ProxymeException.printable(method.length() > 16 ? method.substring(0, 16) : method), pathForTheLog(), allowed,
                reason == null ? null : reason.length() > 255 ? reason.substring(0, 255) : reason, NODE));
    }

    /** The request's path in its canonical form, or as sent (query cut, unprintable characters replaced, 1,000 at most). */
    private String pathForTheLog() {
        String uri = forwardedUri() == null ? "" : forwardedUri();
        int query = uri.indexOf('?');
        String raw = query < 0 ? uri : uri.substring(0, query);
        String path = CanonicalPath.of(raw).orElse(ProxymeException.printable(raw));
        return path.length() > 1000 ? path.substring(0, 1000) : path;
    }

    /** Which node decided: in a cluster, each decides for itself. */
    private static final String NODE = nodeName();

    private static String nodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException unknown) {
            host = "unknown";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    /**
     * The portal's protected resource metadata (RFC 9728), which the proxy serves at
     * {@code /.well-known/oauth-protected-resource} and, for a resource with a path, at the path-suffixed form of
     * section 3.1: MCP clients discover the realm as the authorization server from it. The metadata names the resource
     * the URL was built from (section 3.3), so only a resource URI of the portal on the request's origin has any.
     */
    @GET
    @Path("metadata")
    @Produces(MediaType.APPLICATION_JSON)
    public Response metadata() {
        return attempt().run(() -> {
            checkHeadersOnce();
            ClientModel portal = authenticatedPortal();
            ProtectedResource protectedResource = ProtectedResource.of(portal, headers.getHeaderString("X-Forwarded-Proto"),
                    headers.getHeaderString("X-Forwarded-Host"));
            String path = ProtectedResource.resourcePathOfMetadataRequest(forwardedUri()).orElse(null);
            String resource = Optional.ofNullable(path).flatMap(protectedResource::resourceFor)
                    .filter(found -> protectedResource.metadataUrl(found).endsWith(ProtectedResource.WELL_KNOWN + path))
                    .orElseThrow(() -> ProxymeException.notFound(ProxymeErrors.NOT_FOUND,
                            "The portal has no resource URI for this URL (client attribute " + Portals.RESOURCE_ATTRIBUTE + ")"));
            ProtectedResourceMetadata metadata = new ProtectedResourceMetadata(resource,
                    List.of(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName())),
                    protectedResource.scopesSupported(), List.of("header"), ClientNames.displayName(portal));
            return Responses.json(Response.Status.OK, metadata);
        });
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
        return attempt().run(() -> {
            checkHeadersOnce();
            ClientModel portal = namedPortal();
            checkSameOriginAsPortal();
            String token = bearer();
            if (token == null) {
                token = session.getContext().getHttpRequest().getDecodedFormParameters().getFirst("token");
            }
            VerifiedToken valid = verified(token, null);
            if (!valid.delegation().portalClientId().equals(portal.getClientId())) {
                throw insufficientScope(null, null);
            }
            if (boundKeyOf(valid) != null) {
                // A cookie carries no proof: a bound token stays with the program that holds its key.
                throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST,
                        "A DPoP-bound token cannot start a cookie session: send it with a DPoP proof on each request");
            }
            long maxAge = Math.max(0, Math.min(valid.token().getExp(), valid.delegation().expiresAt() / 1000) - Time.currentTime());
            return Responses.noStore(Response.ok("{\"status\":\"session started\"}", MediaType.APPLICATION_JSON_TYPE))
                    .cookie(sessionCookie(token, (int) maxAge)).build();
        });
    }

    /**
     * Ends the delegated session: the delegation is revoked (the first design's cleanup) and the cookie cleared.
     * Whoever holds a genuine token of the delegation may end it. A form posted from another site is refused: it
     * would end the victim's delegation.
     */
    @POST
    @Path("logout")
    @Produces(MediaType.APPLICATION_JSON)
    public Response logout() {
        return attempt().run(() -> {
            checkOnce(PORTAL_HEADER);
            checkSameOriginAsPortal();
            // The portal header is the proxy's word, not proof: only a portal of this realm is recorded as the actor.
            Actor actor = Actor.client(Portals.find(realm, headers.getHeaderString(PORTAL_HEADER)).map(ClientModel::getClientId).orElse(null));
            new DelegationTokenVerifier(session, realm).delegationIdOfGenuineToken(presentedToken())
                    .ifPresent(id -> new DelegationService(session, realm).revoke(id, actor, "proxy_logout"));
            return Responses.noStore(Response.ok("{\"status\":\"logged out\"}", MediaType.APPLICATION_JSON_TYPE))
                    .cookie(sessionCookie("", 0)).build();
        });
    }

    private Attempt attempt() {
        return Attempt.unaudited(session, Attempt.Challenge.BEARER);
    }

    /**
     * The proxy's headers at most once (400: the proxy's configuration is wrong), and one credential at most (401:
     * nginx's auth_request passes only 401 and 403 on to the client; anything else becomes a 500).
     */
    private void checkHeadersOnce() {
        SINGLE_VALUED.forEach(this::checkOnce);
        List<String> authorization = headers.getRequestHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.size() > 1) {
            throw oneCredentialOnly();
        }
    }

    private ProxymeException oneCredentialOnly() {
        return ProxymeException.unauthorized(OAuthErrorException.INVALID_REQUEST, "Send one credential: one Authorization header or one "
                + SESSION_COOKIE + " cookie").withChallenge(bearerChallenge(OAuthErrorException.INVALID_REQUEST, null, null));
    }

    private void checkOnce(String name) {
        List<String> values = headers.getRequestHeader(name);
        if (values != null && values.size() > 1) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "Send " + name + " at most once");
        }
    }

    private void checkNoOverride() {
        for (String name : OVERRIDES) {
            if (headers.getRequestHeader(name) != null && !headers.getRequestHeader(name).isEmpty()) {
                throw ProxymeException.forbidden(OAuthErrorException.ACCESS_DENIED, name + " is not accepted: send the real method and URL");
            }
        }
        String uri = headers.getHeaderString("X-Forwarded-Uri");
        int query = uri == null ? -1 : uri.indexOf('?');
        if (query >= 0 && ("&" + uri.substring(query + 1)).toLowerCase(java.util.Locale.ROOT).contains("&_method=")) {
            throw ProxymeException.forbidden(OAuthErrorException.ACCESS_DENIED, "_method is not accepted: send the real method");
        }
    }

    private ClientModel namedPortal() {
        return Portals.find(realm, headers.getHeaderString(PORTAL_HEADER)).orElseThrow(() -> ProxymeException.badRequest(
                OAuthErrorException.INVALID_REQUEST, "The proxy must name a portal of this realm in " + PORTAL_HEADER));
    }

    /** The check hands out the user's identity: only to the proxy, which presents the portal's secret (current or rotated). */
    private ClientModel authenticatedPortal() {
        ClientModel portal = namedPortal();
        String secret = headers.getHeaderString(PORTAL_SECRET_HEADER);
        OIDCClientSecretConfigWrapper credentials = OIDCClientSecretConfigWrapper.fromClientModel(portal);
        if (secret == null || secret.isEmpty()
                || !credentials.validateSecret(session, secret) && !credentials.validateRotatedSecret(session, secret)) {
            // No challenge: the proxy would hand it to the agent, who has nothing to answer it with.
            throw ProxymeException.unauthorized(OAuthErrorException.INVALID_CLIENT,
                    "The proxy must authenticate as the portal: its client secret in " + PORTAL_SECRET_HEADER).withoutChallenge();
        }
        return portal;
    }

    private void checkSameOriginAsPortal() {
        String host = headers.getHeaderString("X-Forwarded-Host");
        String scheme = headers.getHeaderString("X-Forwarded-Proto");
        String portalOrigin = host == null ? null : (scheme == null ? "https" : scheme) + "://" + host;
        if (!RequestOrigin.isSameOrigin(headers, portalOrigin, true)) {
            throw ProxymeException.forbidden(OAuthErrorException.ACCESS_DENIED, "The request did not come from the portal's own pages");
        }
    }

    /**
     * RFC 6750 section 3.1: no error code in the challenge when no token was presented at all. At the check, the
     * challenge also says where the resource's metadata is and which scope the route needs (RFC 9728 section 5.1; MCP
     * authorization): a client that was given only the portal's URL learns whom to ask, and for what.
     */
    private VerifiedToken verified(String token, Challenge challenge) {
        if (token == null || token.isEmpty()) {
            throw ProxymeException.unauthorized(OAuthErrorException.INVALID_REQUEST, "A delegation token is required")
                    .withChallenge(bearerChallenge(null, challenge, challenge == null ? null : challenge.routeScopes()));
        }
        return new DelegationTokenVerifier(session, realm).verify(token).orElseThrow(() -> ProxymeException.unauthorized(
                OAuthErrorException.INVALID_TOKEN, "The delegation token is not valid").withChallenge(
                        bearerChallenge(OAuthErrorException.INVALID_TOKEN, challenge, challenge == null ? null : challenge.routeScopes())));
    }

    /**
     * RFC 9449 section 7: a DPoP-bound token ({@code cnf.jkt}) is accepted only with the {@code DPoP} scheme and a
     * proof for this very request: {@code htm} and {@code htu} the forwarded method and URL (without query), {@code ath}
     * the token's hash, signed by the bound key, fresh, its {@code jti} never seen before anywhere in the cluster
     * (Keycloak's single-use store). A bound token without its key is useless; an unbound one is a Bearer token.
     */
    private void checkProofOfPossession(VerifiedToken valid, String token) {
        String boundKey = boundKeyOf(valid);
        boolean dpopScheme = DPOP_SCHEME.equalsIgnoreCase(schemeOfAuthorization());
        if (boundKey == null) {
            if (dpopScheme) {
                throw ProxymeException.unauthorized(OAuthErrorException.INVALID_TOKEN, "The token is not DPoP-bound: send it as a Bearer token")
                        .withChallenge(bearerChallenge(OAuthErrorException.INVALID_TOKEN, null, null));
            }
            return;
        }
        if (!dpopScheme) {
            throw dpopRefusal(OAuthErrorException.INVALID_TOKEN, "The token is DPoP-bound: send it with the DPoP scheme and a proof");
        }
        List<String> proofs = headers.getRequestHeader(DPoPProofs.HEADER);
        if (proofs == null || proofs.size() != 1) {
            throw dpopRefusal(ProxymeErrors.INVALID_DPOP_PROOF, "Send exactly one DPoP proof for this request");
        }
        try {
            DPoP proof = new DPoPUtil.Validator(session).dPoP(proofs.get(0)).accessToken(token)
                    .uri(forwardedUrlWithoutQuery()).method(forwardedMethod()).validate();
            DPoPUtil.validateBinding(valid.token(), proof);
        } catch (VerificationException | java.net.URISyntaxException | RuntimeException invalid) {
            throw dpopRefusal(ProxymeErrors.INVALID_DPOP_PROOF, "The DPoP proof is not valid for this request");
        }
    }

    /**
     * The delegation's task envelope, after every other check: the window, the routes, and last the budget, so that
     * only calls that pass count. The budget is counted on the delegation's row in one atomic update, so that of
     * concurrent calls on any number of nodes exactly the budget passes. A refusal is a 403 the agent can step up from:
     * it asks its user again, and the page shows what was used.
     */
    private void checkEnvelope(VerifiedToken valid, Set<String> scopes, Challenge challenge) {
        Envelope envelope = valid.delegation().envelope();
        if (envelope.isEmpty()) {
            return;
        }
        if (!envelope.isOpenAt(Time.currentTime())) {
            throw envelopeRefusal(challenge, scopes, "The delegation's time window is closed");
        }
        if (!envelope.routes().isEmpty() && !EnvelopeRoutes.allow(envelope, forwardedMethod(), forwardedUri())) {
            throw envelopeRefusal(challenge, scopes, "The delegation's envelope does not include this route");
        }
        if (!new DelegationService(session, realm).consumeCall(valid.delegation())) {
            throw envelopeRefusal(challenge, scopes, "The delegation's call budget is used up (" + envelope.budget() + " of "
                    + envelope.budget() + "): ask the user for more");
        }
    }

    private ProxymeException envelopeRefusal(Challenge challenge, Set<String> scopes, String description) {
        return ProxymeException.forbidden(OAuthErrorException.INSUFFICIENT_SCOPE, description)
                .withChallenge(bearerChallenge(OAuthErrorException.INSUFFICIENT_SCOPE, challenge, scopes));
    }

    private static String boundKeyOf(VerifiedToken valid) {
        AccessToken.Confirmation confirmation = valid.token().getConfirmation();
        return confirmation == null ? null : confirmation.getKeyThumbprint();
    }

    private ProxymeException dpopRefusal(String error, String description) {
        return ProxymeException.unauthorized(error, description).withChallenge("DPoP algs=\""
                + String.join(" ", DPoPUtil.getDPoPSupportedAlgorithms(session)) + "\", error=\"" + error + "\"");
    }

    /** The URL the client called, as the proxy names it: RFC 9449 section 4.3 compares {@code htu} without query. */
    private String forwardedUrlWithoutQuery() {
        String proto = headers.getHeaderString("X-Forwarded-Proto");
        String uri = forwardedUri() == null ? "/" : forwardedUri();
        int end = uri.indexOf('?');
        return (proto == null ? "https" : proto) + "://" + headers.getHeaderString("X-Forwarded-Host") + (end < 0 ? uri : uri.substring(0, end));
    }

    private String schemeOfAuthorization() {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        int space = authorization == null ? -1 : authorization.indexOf(' ');
        return space < 0 ? null : authorization.substring(0, space);
    }

    /** RFC 6750 section 3.1 with the scopes the request needs (MCP's step-up: a client asks for them and keeps its own). */
    private ProxymeException insufficientScope(Challenge challenge, Set<String> neededScopes) {
        return ProxymeException.forbidden(OAuthErrorException.INSUFFICIENT_SCOPE, "The delegation does not cover this portal or route")
                .withChallenge(bearerChallenge(OAuthErrorException.INSUFFICIENT_SCOPE, challenge, neededScopes));
    }

    private String bearerChallenge(String error, Challenge challenge, Set<String> scopes) {
        StringBuilder header = new StringBuilder("Bearer realm=\"").append(realm.getName()).append('"');
        if (error != null) {
            header.append(", error=\"").append(error).append('"');
        }
        if (challenge != null) {
            challenge.metadataUrl().ifPresent(url -> header.append(", resource_metadata=\"").append(url).append('"'));
        }
        if (scopes != null && !scopes.isEmpty()) {
            header.append(", scope=\"").append(String.join(" ", scopes)).append('"');
        }
        return header.toString();
    }

    /** What the check's refusals tell the client about the portal and the route it asked for. */
    private final class Challenge {
        private final ProtectedResource resource;
        private final RouteRules rules;

        Challenge(ClientModel portal) {
            this.resource = ProtectedResource.of(portal, headers.getHeaderString("X-Forwarded-Proto"), headers.getHeaderString("X-Forwarded-Host"));
            this.rules = RouteRules.parse(portal.getAttribute(RouteRules.ATTRIBUTE));
        }

        Optional<String> metadataUrl() {
            return resource.metadataUrlFor(forwardedUri()).filter(ProxyResource::isHeaderSafe);
        }

        /** The route's scope; for a route no rule covers, every scope the portal knows. */
        Set<String> routeScopes() {
            return rules.requiredScope(forwardedMethod(), forwardedUri()).map(Set::of)
                    .orElseGet(() -> new java.util.LinkedHashSet<>(resource.scopesSupported()));
        }

        /** The token's scopes and the route's: what the client should ask for, so as to keep what it has. */
        Set<String> stepUpScopes(Set<String> held) {
            Set<String> needed = new java.util.LinkedHashSet<>(held);
            rules.requiredScope(forwardedMethod(), forwardedUri()).ifPresent(needed::add);
            return needed;
        }
    }

    /** A value that can stand between quotes in a header: no quote, backslash or control character (RFC 9110 5.6.4). */
    private static boolean isHeaderSafe(String value) {
        return value.chars().noneMatch(c -> c == '"' || c == '\\' || c < 0x20 || c == 0x7f);
    }

    private String forwardedMethod() {
        return headers.getHeaderString("X-Forwarded-Method");
    }

    private String forwardedUri() {
        return headers.getHeaderString("X-Forwarded-Uri");
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

    /**
     * The token the agent presents: {@code Authorization: Bearer}, else the session cookie. Two session cookies are
     * refused: which one a server reads is its own choice, and the other may have been planted.
     */
    private String presentedToken() {
        String bearer = bearer();
        if (bearer != null) {
            return bearer;
        }
        List<String> sessionCookies = new java.util.ArrayList<>();
        for (String header : headers.getRequestHeader(HttpHeaders.COOKIE) == null ? List.<String>of() : headers.getRequestHeader(HttpHeaders.COOKIE)) {
            for (String pair : header.split(";")) {
                String trimmed = pair.trim();
                if (trimmed.startsWith(SESSION_COOKIE + "=")) {
                    sessionCookies.add(trimmed.substring(SESSION_COOKIE.length() + 1));
                }
            }
        }
        if (sessionCookies.size() > 1) {
            throw oneCredentialOnly();
        }
        return sessionCookies.isEmpty() || sessionCookies.get(0).isEmpty() ? null : sessionCookies.get(0);
    }

    /** The token of {@code Authorization: Bearer} (RFC 6750) or {@code Authorization: DPoP} (RFC 9449 section 7.1). */
    private String bearer() {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (authorization != null && authorization.regionMatches(true, 0, DPOP_SCHEME + " ", 0, 5)) {
            return authorization.substring(5).trim();
        }
        return null;
    }

    private static NewCookie sessionCookie(String value, int maxAge) {
        return new NewCookie.Builder(SESSION_COOKIE).value(value).path("/").maxAge(maxAge).httpOnly(true).secure(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}
