package dev.proxyme.web;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.protocol.oidc.token.TokenInterceptorException;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.cors.Cors;

import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;

/**
 * The one translation of Proxyme's refusals ({@link ProxymeException}) into the vocabulary of each boundary they cross:
 * Keycloak's token endpoint (RFC 6749 section 5.2), its client policies (the authorization, device and PAR endpoints'
 * error redirects and answers), and Proxyme's own JSON operations. The description is the caller's to read: it never
 * holds a secret or a token.
 */
public final class Refusals {

    private Refusals() {}

    /**
     * The token endpoint's error code: what the client can act on passes as it is (a scope, a portal, a rate, a DPoP
     * proof); a delegation that is unknown, another's, ended or no longer usable makes the grant invalid.
     */
    public static String tokenEndpointError(ProxymeException refusal) {
        return switch (refusal.error()) {
            case OAuthErrorException.INVALID_SCOPE,
                    OAuthErrorException.INVALID_TARGET,
                    OAuthErrorException.SLOW_DOWN,
                    ProxymeErrors.INVALID_DPOP_PROOF -> refusal.error();
            default -> OAuthErrorException.INVALID_GRANT;
        };
    }

    /** The refusal as Keycloak's token endpoint answers it, in the endpoint's CORS context. */
    public static CorsErrorResponseException atTokenEndpoint(Cors cors, ProxymeException refusal) {
        return new CorsErrorResponseException(
                cors,
                tokenEndpointError(refusal),
                refusal.description(),
                refusal.status() == 429 ? Response.Status.TOO_MANY_REQUESTS : Response.Status.BAD_REQUEST);
    }

    /** The refusal as a token post-processor raises it: Keycloak answers it at its token endpoint. */
    public static TokenInterceptorException atTokenPostProcessing(ProxymeException refusal) {
        return new TokenInterceptorException(tokenEndpointError(refusal), refusal.description());
    }

    /** The refusal as a client policy raises it: Keycloak redirects it back, or answers it, with this error. */
    public static ClientPolicyException atClientPolicy(ProxymeException refusal) {
        return new ClientPolicyException(refusal.error(), refusal.description(), Response.Status.BAD_REQUEST);
    }

    /**
     * The refusal as Proxyme's JSON operations answer it: OAuth's error object with the refusal's status, never
     * cached, {@code Retry-After} when it says when to retry, and the challenge it carries (or the default one).
     */
    public static Response asJson(ProxymeException refusal, String defaultChallenge) {
        Response.ResponseBuilder response = Responses.noStore(Response.status(refusal.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new OAuth2ErrorRepresentation(refusal.error(), refusal.description())));
        if (refusal.retryAfterSeconds() != null) {
            response.header("Retry-After", refusal.retryAfterSeconds());
        }
        String authenticate = refusal.challenge() != null ? refusal.challenge() : defaultChallenge;
        if (authenticate != null && !authenticate.isEmpty()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, authenticate);
        }
        return response.build();
    }
}
