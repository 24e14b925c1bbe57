package dev.proxyme.proxy;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.keycloak.models.ClientModel;

import dev.proxyme.clients.Portals;

/**
 * A portal behind the proxy as an OAuth protected resource (RFC 9728): which of its resource URIs a request is for,
 * where that resource's metadata is served, and which scopes it knows. The proxy names the original request's scheme,
 * host and URI ({@code X-Forwarded-Proto}, {@code X-Forwarded-Host}, {@code X-Forwarded-Uri}): the resource is the
 * portal's resource URI (client attribute {@value Portals#RESOURCE_ATTRIBUTE}) on that origin whose path is the longest
 * prefix of the request's, as MCP clients derive it from the URL they were given.
 */
public final class ProtectedResource {

    /** RFC 9728 section 3: the well-known URI suffix; a resource with a path gets it inserted before the path (3.1). */
    public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    private final ClientModel portal;
    private final RouteRules rules;
    private final String origin;

    private ProtectedResource(ClientModel portal, RouteRules rules, String origin) {
        this.portal = portal;
        this.rules = rules;
        this.origin = origin;
    }

    /** The portal as reached at {@code scheme://host}; the origin is null when the proxy named none usable. */
    public static ProtectedResource of(
            ClientModel portal, RouteRules rules, String forwardedProto, String forwardedHost) {
        String scheme = forwardedProto == null || forwardedProto.isBlank() ? "https" : forwardedProto.trim();
        String origin = forwardedHost == null || forwardedHost.isBlank()
                ? null
                : Portals.normalizeResource(scheme + "://" + forwardedHost.trim());
        return new ProtectedResource(portal, rules, origin);
    }

    /** The portal's resource URI that a request path (or a metadata request's path suffix) is for. */
    public Optional<String> resourceFor(String requestUri) {
        if (origin == null) {
            return Optional.empty();
        }
        String path = pathOf(requestUri);
        return Portals.resourcesOf(portal).stream()
                .filter(resource -> resource.equals(origin) || resource.startsWith(origin + "/"))
                .filter(resource -> isPathPrefix(resource.substring(origin.length()), path))
                .max(Comparator.comparingInt(String::length));
    }

    /** Where the proxy serves a resource's metadata: the well-known suffix between origin and path (RFC 9728 section 3.1). */
    public String metadataUrl(String resource) {
        return origin + WELL_KNOWN + resource.substring(origin.length());
    }

    /**
     * The metadata URL for a request: its resource's, or the origin's root form when the portal has resource URIs on
     * that origin but none covers the path; none when the origin is not the portal's (a client's own Host, say).
     */
    public Optional<String> metadataUrlFor(String requestUri) {
        if (origin == null) {
            return Optional.empty();
        }
        Optional<String> resource = resourceFor(requestUri);
        if (resource.isPresent()) {
            return resource.map(this::metadataUrl);
        }
        boolean portalsOrigin = Portals.resourcesOf(portal).stream()
                .anyMatch(candidate -> candidate.equals(origin) || candidate.startsWith(origin + "/"));
        return portalsOrigin ? Optional.of(origin + WELL_KNOWN) : Optional.empty();
    }

    /**
     * Whether the request names an origin other than the portal's, when the portal names its resource URIs: a DPoP
     * proof's {@code htu} is then for another server, whatever the client's {@code Host} header said.
     */
    public boolean isOtherOriginThanThePortals() {
        List<String> resources = Portals.resourcesOf(portal);
        return !resources.isEmpty()
                && (origin == null
                        || resources.stream()
                                .noneMatch(
                                        candidate -> candidate.equals(origin) || candidate.startsWith(origin + "/")));
    }

    /** The scopes the portal's route rules name, in their order: what a client may ask to be delegated for it. */
    public List<String> scopesSupported() {
        return rules.scopes();
    }

    /**
     * The path suffix of a metadata request's URI: {@code /.well-known/oauth-protected-resource/mcp} is for {@code /mcp},
     * the bare well-known URI for the origin; any other URI ({@code /.well-known/oauth-protected-resourceX}) for none.
     */
    public static Optional<String> resourcePathOfMetadataRequest(String requestUri) {
        String path = pathOf(requestUri);
        if (path.equals(WELL_KNOWN)) {
            return Optional.of("");
        }
        return path.startsWith(WELL_KNOWN + "/") ? Optional.of(path.substring(WELL_KNOWN.length())) : Optional.empty();
    }

    private static String pathOf(String requestUri) {
        if (requestUri == null || requestUri.isEmpty()) {
            return "";
        }
        try {
            String path = URI.create(requestUri.startsWith("/") ? requestUri : "/" + requestUri)
                    .getRawPath();
            return path == null ? "" : path.replaceAll("/+$", "");
        } catch (IllegalArgumentException unreadable) {
            return "";
        }
    }

    private static boolean isPathPrefix(String resourcePath, String path) {
        return resourcePath.isEmpty() || path.equals(resourcePath) || path.startsWith(resourcePath + "/");
    }
}
