package dev.proxyme.proxy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCClientSecretConfigWrapper;
import org.keycloak.services.Urls;

import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.clients.ClientNames;
import dev.proxyme.clients.Portals;
import dev.proxyme.model.Actor;
import dev.proxyme.model.McpCall;
import dev.proxyme.representation.ProtectedResourceMetadata;
import dev.proxyme.revocation.DelegationRevocation;
import dev.proxyme.token.DelegationTokenVerifier;
import dev.proxyme.token.DelegationTokenVerifier.VerifiedToken;
import dev.proxyme.web.AuditedCall;
import dev.proxyme.web.DPoPProofs;
import dev.proxyme.web.RequestOrigin;
import dev.proxyme.web.Responses;

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
    /** Headers the proxy sets, whose second copy would make the request mean two things: refused rather than joined. */
    private static final List<String> SINGLE_VALUED = List.of(
            PORTAL_HEADER,
            PORTAL_SECRET_HEADER,
            "X-Forwarded-Method",
            "X-Forwarded-Uri",
            "X-Forwarded-Host",
            "X-Forwarded-Proto");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final HttpHeaders headers;
    private final ForwardedRequest forwarded;

    private final AssertionCache assertions;

    public ProxyResource(KeycloakSession session, AssertionCache assertions) {
        this.session = session;
        this.assertions = assertions;
        this.realm = session.getContext().getRealm();
        this.headers = session.getContext().getRequestHeaders();
        this.forwarded = new ForwardedRequest(
                headers.getHeaderString("X-Forwarded-Method"),
                headers.getHeaderString("X-Forwarded-Uri"),
                headers.getHeaderString("X-Forwarded-Host"),
                headers.getHeaderString("X-Forwarded-Proto"),
                McpCall.fromHeaders(
                                headers.getRequestHeader("MCP-Protocol-Version"),
                                headers.getRequestHeader("Mcp-Method"),
                                headers.getRequestHeader("Mcp-Name"))
                        .orElse(null));
    }

    @GET
    @Path("check")
    @Produces(MediaType.APPLICATION_JSON)
    public Response check() {
        return call().run(() -> {
            checkHeadersOnce();
            ClientModel portal = authenticatedPortal();
            ProxyCheck.PresentedCredential presented = new ProxyCheck.PresentedCredential(
                    headers.getRequestHeaders().keySet(),
                    presentedToken(),
                    PresentedToken.schemeOf(headers.getHeaderString(HttpHeaders.AUTHORIZATION)),
                    headers.getRequestHeader(DPoPProofs.HEADER));
            return new ProxyCheck(session, portal, forwarded, presented, assertions).decide();
        });
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
        return call().run(() -> {
            checkHeadersOnce();
            ClientModel portal = authenticatedPortal();
            ProtectedResource protectedResource =
                    ProtectedResource.of(portal, RouteRules.of(portal), forwarded.proto(), forwarded.host());
            String path = ProtectedResource.resourcePathOfMetadataRequest(forwarded.uri())
                    .orElse(null);
            String resource = Optional.ofNullable(path)
                    .flatMap(protectedResource::resourceFor)
                    .filter(found -> protectedResource.metadataUrl(found).endsWith(ProtectedResource.WELL_KNOWN + path))
                    .orElseThrow(() -> ProxymeException.notFound(
                            ProxymeErrors.NOT_FOUND,
                            "The portal has no resource URI for this URL (client attribute "
                                    + Portals.RESOURCE_ATTRIBUTE + ")"));
            ProtectedResourceMetadata metadata = new ProtectedResourceMetadata(
                    resource,
                    List.of(issuer()),
                    protectedResource.scopesSupported(),
                    List.of("header"),
                    ClientNames.displayName(portal));
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
        return call().run(() -> {
            checkHeadersOnce();
            ClientModel portal = namedPortal();
            checkSameOriginAsPortal();
            String token = PresentedToken.fromAuthorization(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
            if (token == null) {
                token = session.getContext()
                        .getHttpRequest()
                        .getDecodedFormParameters()
                        .getFirst("token");
            }
            VerifiedToken valid = verified(token, Challenges.plain(realm.getName()));
            if (!valid.delegation().portalClientId().equals(portal.getClientId())) {
                throw Challenges.plain(realm.getName()).insufficientScope(Set.of());
            }
            if (ProxyCheck.boundKeyOf(valid) != null) {
                // A cookie carries no proof: a bound token stays with the program that holds its key.
                throw ProxymeException.badRequest(
                        OAuthErrorException.INVALID_REQUEST,
                        "A DPoP-bound token cannot start a cookie session: send it with a DPoP proof on each request");
            }
            long maxAge = Math.max(
                    0, Math.min(valid.token().getExp(), valid.delegation().expiresAt() / 1000) - Time.currentTime());
            return Responses.noStore(Response.ok("{\"status\":\"session started\"}", MediaType.APPLICATION_JSON_TYPE))
                    .cookie(sessionCookie(token, (int) maxAge))
                    .build();
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
        return call().run(() -> {
            checkOnce(PORTAL_HEADER);
            checkSameOriginAsPortal();
            // The portal header is the proxy's word, not proof: only a portal of this realm is recorded as the actor.
            Actor actor = Actor.client(Portals.find(realm, headers.getHeaderString(PORTAL_HEADER))
                    .map(ClientModel::getClientId)
                    .orElse(null));
            new DelegationTokenVerifier(session, realm)
                    .delegationIdOfGenuineToken(presentedToken())
                    .ifPresent(id -> new DelegationRevocation(session, realm).revoke(id, actor, "proxy_logout"));
            return Responses.noStore(Response.ok("{\"status\":\"logged out\"}", MediaType.APPLICATION_JSON_TYPE))
                    .cookie(sessionCookie("", 0))
                    .build();
        });
    }

    private AuditedCall call() {
        return AuditedCall.unaudited(session, AuditedCall.Challenge.BEARER);
    }

    private String issuer() {
        return Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
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
        return ProxymeException.unauthorized(
                        OAuthErrorException.INVALID_REQUEST,
                        "Send one credential: one Authorization header or one " + PresentedToken.SESSION_COOKIE
                                + " cookie")
                .withChallenge(Challenges.plain(realm.getName()).bearer(OAuthErrorException.INVALID_REQUEST, null));
    }

    private void checkOnce(String name) {
        List<String> values = headers.getRequestHeader(name);
        if (values != null && values.size() > 1) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "Send " + name + " at most once");
        }
    }

    private ClientModel namedPortal() {
        return Portals.find(realm, headers.getHeaderString(PORTAL_HEADER))
                .orElseThrow(() -> ProxymeException.badRequest(
                        OAuthErrorException.INVALID_REQUEST,
                        "The proxy must name a portal of this realm in " + PORTAL_HEADER));
    }

    /** The check hands out the user's identity: only to the proxy, which presents the portal's secret (current or rotated). */
    private ClientModel authenticatedPortal() {
        ClientModel portal = namedPortal();
        String secret = headers.getHeaderString(PORTAL_SECRET_HEADER);
        OIDCClientSecretConfigWrapper credentials = OIDCClientSecretConfigWrapper.fromClientModel(portal);
        if (secret == null
                || secret.isEmpty()
                || !credentials.validateSecret(session, secret)
                        && !credentials.validateRotatedSecret(session, secret)) {
            // No challenge: the proxy would hand it to the agent, who has nothing to answer it with.
            throw ProxymeException.unauthorized(
                            OAuthErrorException.INVALID_CLIENT,
                            "The proxy must authenticate as the portal: its client secret in " + PORTAL_SECRET_HEADER)
                    .withoutChallenge();
        }
        return portal;
    }

    private void checkSameOriginAsPortal() {
        if (!RequestOrigin.isSameOrigin(headers, forwarded.origin(), true)) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED, "The request did not come from the portal's own pages");
        }
    }

    private VerifiedToken verified(String token, Challenges challenges) {
        if (token == null || token.isEmpty()) {
            throw challenges.tokenRequired();
        }
        return new DelegationTokenVerifier(session, realm).verify(token).orElseThrow(challenges::invalidToken);
    }

    /** The Authorization header's token, else the session cookie's; two session cookies are refused. */
    private String presentedToken() {
        String fromHeader = PresentedToken.fromAuthorization(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (fromHeader != null) {
            return fromHeader;
        }
        List<String> sessionCookies = PresentedToken.sessionCookies(headers.getRequestHeader(HttpHeaders.COOKIE));
        if (sessionCookies.size() > 1) {
            throw oneCredentialOnly();
        }
        return PresentedToken.ofCookie(sessionCookies).orElse(null);
    }

    private static NewCookie sessionCookie(String value, int maxAge) {
        return new NewCookie.Builder(PresentedToken.SESSION_COOKIE)
                .value(value)
                .path("/")
                .maxAge(maxAge)
                .httpOnly(true)
                .secure(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }
}
