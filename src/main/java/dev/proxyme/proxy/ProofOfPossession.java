package dev.proxyme.proxy;

import java.net.URISyntaxException;
import java.util.List;

import org.keycloak.OAuthErrorException;
import org.keycloak.common.VerificationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.dpop.DPoP;
import org.keycloak.services.util.DPoPUtil;

import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.token.DelegationTokenVerifier.VerifiedToken;

/**
 * RFC 9449 section 7: a DPoP-bound token ({@code cnf.jkt}) is accepted only with the {@code DPoP} scheme and a proof
 * for this very request: {@code htm} and {@code htu} the forwarded method and URL (without query), {@code ath} the
 * token's hash, signed by the bound key, fresh, its {@code jti} never seen before anywhere in the cluster (Keycloak's
 * single-use store, through its validator). A bound token without its key is useless; an unbound one is a Bearer token.
 */
final class ProofOfPossession {

    static final String SCHEME = "DPoP";
    private static final String USED_PROOF_PREFIX = "proxyme.dpop-jti:";
    /** Longer than any proof is accepted for: Keycloak's validator allows an iat within seconds of now. */
    private static final long USED_PROOF_SECONDS = 300;

    private ProofOfPossession() {}

    /** The key a token is bound to (its {@code cnf.jkt} thumbprint), or null for a Bearer token. */
    static String boundKeyOf(VerifiedToken valid) {
        AccessToken.Confirmation confirmation = valid.token().getConfirmation();
        return confirmation == null ? null : confirmation.getKeyThumbprint();
    }

    static void check(
            KeycloakSession session,
            VerifiedToken valid,
            String token,
            String scheme,
            List<String> proofs,
            ForwardedRequest request,
            ProtectedResource portal,
            Challenges challenges) {
        boolean dpopScheme = SCHEME.equalsIgnoreCase(scheme);
        if (boundKeyOf(valid) == null) {
            if (dpopScheme) {
                throw ProxymeException.unauthorized(
                                OAuthErrorException.INVALID_TOKEN,
                                "The token is not DPoP-bound: send it as a Bearer token")
                        .withChallenge(challenges.bearer(OAuthErrorException.INVALID_TOKEN, null));
            }
            return;
        }
        if (!dpopScheme) {
            throw refusal(
                    session,
                    OAuthErrorException.INVALID_TOKEN,
                    "The token is DPoP-bound: send it with the DPoP scheme and a proof");
        }
        if (proofs == null || proofs.size() != 1) {
            throw refusal(session, ProxymeErrors.INVALID_DPOP_PROOF, "Send exactly one DPoP proof for this request");
        }
        if (portal.isOtherOriginThanThePortals()) {
            // htu is built from the forwarded Host, which the client chose: only the portal's own origin is this
            // server.
            throw refusal(session, ProxymeErrors.INVALID_DPOP_PROOF, "The request is not for the portal's origin");
        }
        String jti;
        try {
            DPoP proof = new DPoPUtil.Validator(session)
                    .dPoP(proofs.get(0))
                    .accessToken(token)
                    .uri(request.urlWithoutQuery())
                    .method(request.method())
                    .validate();
            DPoPUtil.validateBinding(valid.token(), proof);
            jti = proof.getId();
        } catch (VerificationException | URISyntaxException | RuntimeException invalid) {
            throw refusal(session, ProxymeErrors.INVALID_DPOP_PROOF, "The DPoP proof is not valid for this request");
        }
        // Keycloak's replay check keys a proof on its jti and htu: at the proxy a jti is good once, whatever URL it
        // names.
        if (!session.singleUseObjects()
                .putIfAbsent(USED_PROOF_PREFIX + boundKeyOf(valid) + ":" + jti, USED_PROOF_SECONDS)) {
            throw refusal(session, ProxymeErrors.INVALID_DPOP_PROOF, "The DPoP proof was used before");
        }
    }

    /** RFC 9449 section 7.1: the DPoP challenge names the algorithms Keycloak accepts. */
    private static ProxymeException refusal(KeycloakSession session, String error, String description) {
        return ProxymeException.unauthorized(error, description)
                .withChallenge(SCHEME + " algs=\"" + String.join(" ", DPoPUtil.getDPoPSupportedAlgorithms(session))
                        + "\", error=\"" + error + "\"");
    }
}
