package dev.proxyme.proxy;

import java.util.Optional;
import java.util.Set;

import org.keycloak.OAuthErrorException;

import dev.proxyme.ProxymeException;

/**
 * Headers a client may not send through the proxy: one a portal could read as a header the proxy vouches for (the
 * identity it hands over, what the request was), under a spelling the proxy neither replaces nor strips. CGI and PHP's
 * {@code $_SERVER} (PHP-FPM behind Caddy, Rack and Puma on CGI-style servers) read {@code X_Proxyme_User} and
 * {@code X.Proxyme.User} as {@code X-Proxyme-User}, so either could stand beside the real one and win. Spelled
 * canonically, the proxy's own names are replaced (nginx) or stripped (Caddy) by the shipped configs; any other
 * {@code X-Proxyme-*} name is no header of Proxyme's, and refused rather than passed on.
 */
final class ClientHeaders {

    /** The names the shipped configs set for the portal, and those they send the check. */
    private static final Set<String> PROXYMES = Set.of(
            "x-proxyme-user",
            "x-proxyme-username",
            "x-proxyme-email",
            "x-proxyme-agent",
            "x-proxyme-scopes",
            "x-proxyme-delegation",
            "x-proxyme-assertion",
            "x-proxyme-portal",
            "x-proxyme-portal-secret");

    private static final Set<String> VOUCHED_PREFIXES = Set.of("xproxyme", "xforwarded", "forwarded", "xrealip");

    private ClientHeaders() {}

    /** The refusal of the first such header among the request's header names, if any. */
    static Optional<ProxymeException> refusalOf(Iterable<String> headerNames) {
        for (String name : headerNames) {
            String key = MethodOverride.headerKey(name);
            boolean vouched = VOUCHED_PREFIXES.stream().anyMatch(key::startsWith);
            if (!vouched) {
                continue;
            }
            boolean canonical = name.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '-'));
            if (!canonical
                    || key.startsWith("xproxyme") && !PROXYMES.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                // 403: nginx's auth_request passes only 401 and 403 on to the client.
                return Optional.of(ProxymeException.forbidden(
                        OAuthErrorException.ACCESS_DENIED,
                        "Header " + ProxymeException.printable(name)
                                + " is not accepted: a portal could read it as one the proxy sets"));
            }
        }
        return Optional.empty();
    }
}
