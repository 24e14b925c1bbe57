package dev.proxyme.web;

import java.util.List;

import org.keycloak.common.VerificationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.dpop.DPoP;
import org.keycloak.services.util.DPoPUtil;

import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;

/**
 * DPoP proofs (RFC 9449) that agents present to Proxyme's own endpoints, checked with Keycloak's validator as its token
 * endpoint checks them: {@code typ}, an asymmetric algorithm, a public key and no private one, {@code htm} and
 * {@code htu} of this request, {@code iat} within Keycloak's window, and a {@code jti} never seen before in the cluster.
 */
public final class DPoPProofs {

    public static final String HEADER = "DPoP";

    private DPoPProofs() {}

    /**
     * Accepts the request's proof, if it has one, for what Keycloak's token machinery issues next: its DPoP mapper
     * binds the token to the key ({@code cnf.jkt}, type DPoP), and the delegation service to the delegation.
     */
    public static void acceptForThisRequest(KeycloakSession session) {
        List<String> proofs = session.getContext().getRequestHeaders().getRequestHeader(HEADER);
        if (proofs == null || proofs.isEmpty()) {
            return;
        }
        if (proofs.size() > 1) {
            throw ProxymeException.badRequest(ProxymeErrors.INVALID_DPOP_PROOF, "Send one DPoP proof");
        }
        try {
            DPoP proof = new DPoPUtil.Validator(session)
                    .request(session.getContext().getHttpRequest())
                    .uriInfo(session.getContext().getUri())
                    .validate();
            session.setAttribute(DPoPUtil.DPOP_SESSION_ATTRIBUTE, proof);
        } catch (VerificationException invalid) {
            throw ProxymeException.badRequest(
                    ProxymeErrors.INVALID_DPOP_PROOF, "The DPoP proof is not valid: " + invalid.getMessage());
        }
    }
}
