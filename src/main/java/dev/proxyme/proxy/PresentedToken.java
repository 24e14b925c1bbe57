package dev.proxyme.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The token an agent presents: {@code Authorization: Bearer} (RFC 6750), {@code Authorization: DPoP} (RFC 9449
 * section 7.1), else the proxy's session cookie.
 */
final class PresentedToken {

    /**
     * The session cookie. {@code __Host-}: browsers accept it only Secure, for Path=/ and without Domain, so a sibling
     * subdomain cannot toss its own into the portal's requests (RFC 6265bis section 4.1.3.2).
     */
    static final String SESSION_COOKIE = "__Host-proxyme_session";

    private PresentedToken() {}

    static String fromAuthorization(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (authorization != null && authorization.regionMatches(true, 0, ProxyCheck.DPOP_SCHEME + " ", 0, 5)) {
            return authorization.substring(5).trim();
        }
        return null;
    }

    static String schemeOf(String authorization) {
        int space = authorization == null ? -1 : authorization.indexOf(' ');
        return space < 0 ? null : authorization.substring(0, space);
    }

    /**
     * The session cookie's values in the request's Cookie headers. The caller refuses two: which one a server reads is
     * its own choice, and the other may have been planted.
     */
    static List<String> sessionCookies(List<String> cookieHeaders) {
        List<String> values = new ArrayList<>();
        for (String header : cookieHeaders == null ? List.<String>of() : cookieHeaders) {
            for (String pair : header.split(";")) {
                String trimmed = pair.trim();
                if (trimmed.startsWith(SESSION_COOKIE + "=")) {
                    values.add(trimmed.substring(SESSION_COOKIE.length() + 1));
                }
            }
        }
        return values;
    }

    /** One session cookie's token, if it has one. */
    static Optional<String> ofCookie(List<String> values) {
        return values.size() == 1 && !values.get(0).isEmpty() ? Optional.of(values.get(0)) : Optional.empty();
    }
}
