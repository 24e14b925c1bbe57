package dev.proxyme.consent;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/** Where an authorization response goes, as the consent page names it. */
final class RedirectHosts {

    /** RFC 8252 section 7.3's loopback interfaces (and {@code localhost}, which Keycloak accepts as one). */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "[::1]", "::1", "localhost");

    private RedirectHosts() {}

    static boolean isLoopback(URI redirect) {
        return redirect.getHost() != null
                && LOOPBACK.contains(redirect.getHost().toLowerCase(Locale.ROOT));
    }
}
