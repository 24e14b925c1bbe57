package dev.proxyme.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Where an agent's authorization responses may go: {@code https} URIs, or {@code http} on a loopback interface for a
 * program on the user's computer (RFC 8252 section 7.3: registered without a port, any port is accepted); never a
 * fragment, a wildcard, user info or a control character. The consent page names a loopback redirect as such.
 */
public final class RedirectUris {

    /** RFC 8252 section 7.3's loopback interfaces (and {@code localhost}, which Keycloak accepts as one). */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "[::1]", "::1", "localhost");

    private static final int MAX_LENGTH = 2000;

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
}
