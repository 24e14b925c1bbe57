package dev.proxyme.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

import dev.proxyme.model.SpaceSeparated;

/** Portals: enabled confidential clients of the realm marked with {@value #MARKER_ATTRIBUTE} = true. */
public final class Portals {

    /** Client attribute marking a confidential client as a portal agents may be delegated access to (a contract). */
    public static final String MARKER_ATTRIBUTE = "proxyme.portal";
    /**
     * Portal client attribute: its resource URIs (RFC 8707 section 2), space-separated absolute URIs, the URLs agents
     * and MCP clients know the portal by (a contract).
     */
    public static final String RESOURCE_ATTRIBUTE = "proxyme.resource";

    private Portals() {}

    public static boolean isPortal(ClientModel client) {
        return client != null
                && client.isEnabled()
                && !client.isPublicClient()
                && !client.isBearerOnly()
                && Boolean.parseBoolean(client.getAttribute(MARKER_ATTRIBUTE));
    }

    /** A client marked as a portal, whether or not it is enabled: registration may not touch it either. */
    public static boolean isMarked(ClientModel client) {
        return client != null && Boolean.parseBoolean(client.getAttribute(MARKER_ATTRIBUTE));
    }

    public static Optional<ClientModel> find(RealmModel realm, String portalClientId) {
        return Optional.ofNullable(portalClientId)
                .map(realm::getClientByClientId)
                .filter(Portals::isPortal);
    }

    /** The portal a resource URI names, compared in the normal form of {@link #normalizeResource}. */
    public static Optional<ClientModel> byResource(RealmModel realm, String resource) {
        String wanted = normalizeResource(resource);
        if (wanted == null) {
            return Optional.empty();
        }
        return realm.getClientsStream()
                .filter(Portals::isPortal)
                .filter(portal -> resourcesOf(portal).stream().anyMatch(wanted::equals))
                .findFirst();
    }

    /** A portal's resource URIs, normalised. */
    public static List<String> resourcesOf(ClientModel portal) {
        return SpaceSeparated.words(portal.getAttribute(RESOURCE_ATTRIBUTE)).stream()
                .map(Portals::normalizeResource)
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    /**
     * An absolute URI without fragment (RFC 8707 section 2), scheme and host in lower case, the scheme's default port
     * and a trailing slash dropped: the forms clients send for the same resource compare equal. Null for anything else.
     */
    public static String normalizeResource(String resource) {
        if (resource == null || resource.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(resource.trim());
            if (!uri.isAbsolute() || uri.getRawFragment() != null || uri.getHost() == null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            boolean defaultPort = uri.getPort() == -1
                    || scheme.equals("https") && uri.getPort() == 443
                    || scheme.equals("http") && uri.getPort() == 80;
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + uri.getPort())
                    + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (URISyntaxException notAUri) {
            return null;
        }
    }
}
