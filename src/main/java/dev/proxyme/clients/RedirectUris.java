package dev.proxyme.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.proxyme.ProxymeException;

import static dev.proxyme.ProxymeException.printable;

/**
 * Where an agent's authorization responses may go: {@code https} URIs, or {@code http} on a loopback interface for a
 * program on the user's computer (RFC 8252 section 7.3: registered without a port, any port is accepted); never a
 * fragment, a wildcard, user info or a control character. The consent page names a loopback redirect as such.
 */
public final class RedirectUris {

    /** RFC 8252 section 7.3's loopback interfaces (and {@code localhost}, which Keycloak accepts as one). */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "[::1]", "::1", "localhost");

    private static final int MAX_LENGTH = 2000;

    private static final int MAX_REDIRECT_URIS = 10;

    /** RFC 7591 section 3.2.2's error code. */
    public static final String INVALID_REDIRECT_URI = "invalid_redirect_uri";

    private RedirectUris() {}

    public static boolean isLoopback(URI redirect) {
        return redirect.getHost() != null
                && LOOPBACK.contains(redirect.getHost().toLowerCase(Locale.ROOT));
    }

    /** Whether an agent may register this redirect URI. */
    public static boolean isAcceptable(String uri) {
        if (uri == null
                || uri.length() > MAX_LENGTH
                || uri.contains("*")
                || uri.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            return false;
        }
        try {
            URI parsed = new URI(uri);
            if (!parsed.isAbsolute()
                    || parsed.getRawFragment() != null
                    || parsed.getHost() == null
                    || parsed.getRawUserInfo() != null) {
                return false;
            }
            return "https".equals(parsed.getScheme()) || "http".equals(parsed.getScheme()) && isLoopback(parsed);
        } catch (URISyntaxException unreadable) {
            return false;
        }
    }

    /**
     * The redirect URIs a registration lists, each {@linkplain #isAcceptable acceptable} (OAuth 2.1: exact matching),
     * once; none when it lists none (null), or refused with RFC 7591's error.
     */
    public static List<String> checkRegistered(List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        if (requested.isEmpty() || requested.size() > MAX_REDIRECT_URIS) {
            throw ProxymeException.badRequest(
                    INVALID_REDIRECT_URI, "'redirect_uris' must list 1 to " + MAX_REDIRECT_URIS + " URIs");
        }
        List<String> uris = new ArrayList<>();
        for (String uri : requested) {
            if (!isAcceptable(uri)) {
                throw ProxymeException.badRequest(
                        INVALID_REDIRECT_URI,
                        "Not an https URI or an http loopback URI without fragment or wildcard: " + printable(uri));
            }
            if (!uris.contains(uri)) {
                uris.add(uri);
            }
        }
        return uris;
    }
}
