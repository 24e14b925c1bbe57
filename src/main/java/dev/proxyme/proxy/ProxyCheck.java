package dev.proxyme.proxy;

import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.common.VerificationException;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.dpop.DPoP;
import org.keycloak.services.Urls;
import org.keycloak.services.util.DPoPUtil;

import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.metrics.ProxymeMetrics;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.store.DelegationProvider;
import dev.proxyme.token.DelegationTokenVerifier;
import dev.proxyme.token.DelegationTokenVerifier.VerifiedToken;
import dev.proxyme.web.Responses;

/**
 * One request to a portal, as the proxy asks about it: built once with what every step reads (the portal, its
 * resource, route rules and challenges, the presented token and proof), checked step by step, and its outcome recorded
 * in one place. It verifies locally (signature, expiry, revoked-token store, the delegation's row) and caches no
 * decision, so a revoked or expired delegation is refused on the very next request.
 *
 * <p>The steps, in order: no method or URL override; a valid delegation token; its proof of possession when it is
 * DPoP-bound (RFC 9449 section 7); this portal, and a route its scopes allow; the delegation's task envelope last (the
 * window, the routes, then the budget), so that only calls that pass everything else count.
 */
final class ProxyCheck {

    static final String DPOP_SCHEME = "DPoP";
    private static final String USED_PROOF_PREFIX = "proxyme.dpop-jti:";
    /** Longer than any proof is accepted for: Keycloak's validator allows an iat within seconds of now. */
    private static final long USED_PROOF_SECONDS = 300;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ClientModel portal;
    private final ForwardedRequest request;
    private final ProtectedResource resource;
    private final RouteRules rules;
    private final Challenges challenges;
    private final ActivityRecorder activity;
    private final PresentedCredential presented;
    private final AssertionCache assertions;
    private VerifiedToken valid;

    /** What the request presented: its header names (for overrides), its token, the token's scheme and DPoP proofs. */
    record PresentedCredential(Iterable<String> headerNames, String token, String scheme, List<String> proofs) {}

    ProxyCheck(
            KeycloakSession session,
            ClientModel portal,
            ForwardedRequest request,
            PresentedCredential presented,
            AssertionCache assertions) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.portal = portal;
        this.request = request;
        this.rules = RouteRules.of(portal);
        this.resource = ProtectedResource.of(portal, rules, request.proto(), request.host());
        this.challenges = new Challenges(realm.getName(), resource, rules, request);
        this.activity = new ActivityRecorder(session, realm, portal, rules, request, presented.token());
        this.presented = presented;
        this.assertions = assertions;
    }

    /** The decision: the portal's identity headers, or the refusal, recorded either way for a genuine token. */
    Response decide() {
        try {
            checkNoOverride();
            verify();
            Set<String> scopes = Scopes.parse(valid.token().getScope()).names();
            checkProofOfPossession();
            checkPortalAndRoute(scopes);
            checkEnvelope(scopes);
            activity.allowed(valid.delegation().id());
            ProxymeMetrics.proxyCheck(realm.getName(), true, null);
            return allowed(scopes);
        } catch (ProxymeException refused) {
            record(refused);
            ProxymeMetrics.proxyCheck(realm.getName(), false, refused.error());
            throw refused;
        }
    }

    /** Refusals are recorded only for a genuine token of this realm: anyone may send garbage. */
    private void record(ProxymeException refused) {
        String reason = refused.error() + ": " + refused.description();
        if (valid != null) {
            activity.refused(valid.delegation().id(), reason);
        } else {
            new DelegationTokenVerifier(session, realm)
                    .delegationIdOfGenuineToken(presented.token())
                    .ifPresent(delegationId -> activity.refused(delegationId, reason));
        }
    }

    /**
     * A request that says it is another method or URL than it is (a rule would judge one, the portal serve another),
     * or that carries a header a portal could take for one the proxy sets.
     */
    private void checkNoOverride() {
        ClientHeaders.refusalOf(presented.headerNames()).ifPresent(refusal -> {
            throw refusal;
        });
        MethodOverride.headerAmong(presented.headerNames()).ifPresent(name -> {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED,
                    ProxymeException.printable(name) + " is not accepted: send the real method and URL");
        });
        if (request.asksMethodOverride()) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED, "_method is not accepted: send the real method");
        }
    }

    private void verify() {
        if (presented.token() == null || presented.token().isEmpty()) {
            throw challenges.tokenRequired();
        }
        valid = new DelegationTokenVerifier(session, realm)
                .verify(presented.token())
                .orElseThrow(challenges::invalidToken);
    }

    /**
     * RFC 9449 section 7: a DPoP-bound token ({@code cnf.jkt}) passes only with the {@code DPoP} scheme and a proof for
     * this very request: {@code htm} and {@code htu} the forwarded method and URL (without query), {@code ath} the
     * token's hash, signed by the bound key, fresh, its {@code jti} never seen before anywhere in the cluster.
     */
    private void checkProofOfPossession() {
        boolean dpopScheme = DPOP_SCHEME.equalsIgnoreCase(presented.scheme());
        String boundKey = boundKeyOf(valid);
        if (boundKey == null) {
            if (dpopScheme) {
                throw ProxymeException.unauthorized(
                                OAuthErrorException.INVALID_TOKEN,
                                "The token is not DPoP-bound: send it as a Bearer token")
                        .withChallenge(challenges.bearer(OAuthErrorException.INVALID_TOKEN, null));
            }
            return;
        }
        if (!dpopScheme) {
            throw dpopRefusal(
                    OAuthErrorException.INVALID_TOKEN,
                    "The token is DPoP-bound: send it with the DPoP scheme and a proof");
        }
        List<String> proofs = presented.proofs();
        if (proofs == null || proofs.size() != 1) {
            throw dpopRefusal(ProxymeErrors.INVALID_DPOP_PROOF, "Send exactly one DPoP proof for this request");
        }
        if (resource.isOtherOriginThanThePortals()) {
            // htu is built from the forwarded Host, which the client chose: only the portal's own origin is this
            // server.
            throw dpopRefusal(ProxymeErrors.INVALID_DPOP_PROOF, "The request is not for the portal's origin");
        }
        String jti;
        try {
            DPoP proof = new DPoPUtil.Validator(session)
                    .dPoP(proofs.get(0))
                    .accessToken(presented.token())
                    .uri(request.urlWithoutQuery())
                    .method(request.method())
                    .validate();
            DPoPUtil.validateBinding(valid.token(), proof);
            jti = proof.getId();
        } catch (VerificationException | URISyntaxException | RuntimeException invalid) {
            throw dpopRefusal(ProxymeErrors.INVALID_DPOP_PROOF, "The DPoP proof is not valid for this request");
        }
        // Keycloak's replay check keys a proof on its jti and htu: at the proxy a jti is good once, whatever URL it
        // names.
        if (!session.singleUseObjects().putIfAbsent(USED_PROOF_PREFIX + boundKey + ":" + jti, USED_PROOF_SECONDS)) {
            throw dpopRefusal(ProxymeErrors.INVALID_DPOP_PROOF, "The DPoP proof was used before");
        }
    }

    /** The token is this portal's, and its scopes allow the route. */
    private void checkPortalAndRoute(Set<String> scopes) {
        if (!valid.delegation().portalClientId().equals(portal.getClientId())
                || !rules.allows(request.method(), request.uri(), request.mcpCall(), scopes)) {
            throw challenges.insufficientScope(scopes);
        }
    }

    /**
     * The delegation's task envelope, after every other check: the window, the routes, and last the budget, counted on
     * the delegation's row in one atomic update, so that of concurrent calls on any number of nodes exactly the budget
     * passes. A refusal is a 403 the agent can step up from: it asks its user again, and the consent page shows what
     * was used.
     */
    private void checkEnvelope(Set<String> scopes) {
        Envelope envelope = valid.delegation().envelope();
        if (envelope.isEmpty()) {
            return;
        }
        if (!envelope.isOpenAt(Time.currentTime())) {
            throw challenges.insufficientScope("The delegation's time window is closed", scopes);
        }
        if (!envelope.routes().isEmpty() && !EnvelopeRoutes.allow(envelope, request)) {
            throw challenges.insufficientScope("The delegation's envelope does not include this route", scopes);
        }
        Integer budget = envelope.budget();
        if (budget != null
                && !session.getProvider(DelegationProvider.class)
                        .consumeCall(realm, valid.delegation().id(), budget)) {
            ProxymeMetrics.budgetExhausted(realm.getName());
            throw challenges.insufficientScope(
                    "The delegation's call budget is used up (" + budget + " of " + budget + "): ask the user for more",
                    scopes);
        }
    }

    private Response allowed(Set<String> scopes) {
        String portalClientId = portal.getClientId();
        return Responses.noStore(Response.ok("{\"allowed\":true}", MediaType.APPLICATION_JSON_TYPE))
                .header("X-Proxyme-User", valid.user().getId())
                .header("X-Proxyme-Username", valid.user().getUsername())
                .header("X-Proxyme-Agent", valid.agent().getClientId())
                .header("X-Proxyme-Scopes", String.join(" ", scopes))
                .header("X-Proxyme-Delegation", valid.delegation().id())
                .header(
                        "X-Proxyme-Assertion",
                        assertions.get(
                                valid.token().getId(),
                                portalClientId,
                                Time.currentTime(),
                                () -> session.tokens()
                                        .encode(IdentityAssertion.of(
                                                issuer(), valid, portalClientId, Time.currentTime()))))
                // Always present, empty when the user has none: Caddy 2.6's copy_headers would otherwise copy the
                // literal placeholder text of a missing header; the shipped configs drop the empty header.
                .header(
                        "X-Proxyme-Email",
                        valid.user().getEmail() == null ? "" : valid.user().getEmail())
                .build();
    }

    private String issuer() {
        return Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
    }

    /** The key a token is bound to (its {@code cnf.jkt} thumbprint), or null for a Bearer token. */
    static String boundKeyOf(VerifiedToken valid) {
        AccessToken.Confirmation confirmation = valid.token().getConfirmation();
        return confirmation == null ? null : confirmation.getKeyThumbprint();
    }

    /** RFC 9449 section 7.1: the DPoP challenge names the algorithms Keycloak accepts. */
    private ProxymeException dpopRefusal(String error, String description) {
        return ProxymeException.unauthorized(error, description)
                .withChallenge(DPOP_SCHEME + " algs=\"" + String.join(" ", DPoPUtil.getDPoPSupportedAlgorithms(session))
                        + "\", error=\"" + error + "\"");
    }
}
