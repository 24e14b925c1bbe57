package dev.proxyme.proxy;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.keycloak.OAuthErrorException;

import dev.proxyme.ProxymeException;

/**
 * What the check's refusals tell the client (RFC 6750 section 3): the realm, the error, where the portal's resource
 * metadata is (RFC 9728 section 5.1) and the scopes the route needs, so that a client given only the portal's URL
 * learns whom to ask, and for what (MCP authorization's discovery and step-up).
 */
final class Challenges {

    private final String realmName;
    private final ProtectedResource resource;
    private final RouteRules rules;
    private final ForwardedRequest request;

    Challenges(String realmName, ProtectedResource resource, RouteRules rules, ForwardedRequest request) {
        this.realmName = realmName;
        this.resource = resource;
        this.rules = rules;
        this.request = request;
    }

    /** For a request that is no route of the portal (the session endpoint): the realm and the error only. */
    static Challenges plain(String realmName) {
        return new Challenges(realmName, null, null, null);
    }

    /** No token at all: RFC 6750 section 3.1 gives no error code then. */
    ProxymeException tokenRequired() {
        return ProxymeException.unauthorized(OAuthErrorException.INVALID_REQUEST, "A delegation token is required")
                .withChallenge(bearer(null, routeScopes()));
    }

    ProxymeException invalidToken() {
        return ProxymeException.unauthorized(OAuthErrorException.INVALID_TOKEN, "The delegation token is not valid")
                .withChallenge(bearer(OAuthErrorException.INVALID_TOKEN, routeScopes()));
    }

    /** The token's scopes and the route's: what the client should ask for, so as to keep what it has. */
    ProxymeException insufficientScope(Set<String> held) {
        if (rules == null) {
            return insufficientScope("The delegation does not cover this portal or route", null);
        }
        Set<String> needed = new LinkedHashSet<>(held);
        rules.requiredScopes(request.method(), request.uri(), request.mcpCall()).ifPresent(needed::addAll);
        return insufficientScope("The delegation does not cover this portal or route", needed);
    }

    /** A refusal the agent can step up from: it asks its user again for what it holds. */
    ProxymeException insufficientScope(String description, Set<String> scopes) {
        return ProxymeException.forbidden(OAuthErrorException.INSUFFICIENT_SCOPE, description)
                .withChallenge(bearer(OAuthErrorException.INSUFFICIENT_SCOPE, scopes));
    }

    String bearer(String error, Set<String> scopes) {
        Optional<String> metadataUrl = resource == null
                ? Optional.empty()
                : resource.metadataUrlFor(request.uri()).filter(Challenges::isHeaderSafe);
        return bearer(realmName, error, metadataUrl, scopes);
    }

    /** The route's scope; for a route no rule covers, every scope the portal knows. */
    private Set<String> routeScopes() {
        if (rules == null) {
            return null;
        }
        return rules.requiredScopes(request.method(), request.uri(), request.mcpCall())
                .<Set<String>>map(LinkedHashSet::new)
                .orElseGet(() -> new LinkedHashSet<>(resource.scopesSupported()));
    }

    private static String bearer(String realmName, String error, Optional<String> metadataUrl, Set<String> scopes) {
        StringBuilder header =
                new StringBuilder("Bearer realm=\"").append(realmName).append('"');
        if (error != null) {
            header.append(", error=\"").append(error).append('"');
        }
        metadataUrl.ifPresent(
                url -> header.append(", resource_metadata=\"").append(url).append('"'));
        if (scopes != null && !scopes.isEmpty()) {
            header.append(", scope=\"").append(String.join(" ", scopes)).append('"');
        }
        return header.toString();
    }

    /** A value that can stand between quotes in a header: no quote, backslash or control character (RFC 9110 5.6.4). */
    private static boolean isHeaderSafe(String value) {
        return value.chars().noneMatch(c -> c == '"' || c == '\\' || c < 0x20 || c == 0x7f);
    }
}
