package dev.proxyme.web;

import jakarta.ws.rs.core.HttpHeaders;

/**
 * Whether a state-changing request came from a page of the expected origin: the defence against cross-site request
 * forgery for every cookie-authenticated POST Proxyme answers (consent pages, the proxy's session endpoints).
 *
 * <p>Fetch Metadata ({@code Sec-Fetch-Site}) cannot be set by a page and is sent by every current browser; where it
 * says anything but {@code same-origin}, the request is refused. {@code Origin} is compared when it names an origin;
 * browsers send {@code Origin: null} under Keycloak's {@code Referrer-Policy: no-referrer}, so there Fetch Metadata
 * decides. A request with neither header does not come from a browser.
 */
public final class RequestOrigin {

    private RequestOrigin() {}

    /**
     * @param expectedOrigin          {@code scheme://host[:port]} of the page's server; null when unknown (then only
     *                                requests without an origin can pass)
     * @param nonBrowserClientsPass   whether a request without {@code Origin} and {@code Sec-Fetch-Site} passes: true
     *                                where agents and scripts call too, false for pages only browsers use
     */
    public static boolean isSameOrigin(HttpHeaders headers, String expectedOrigin, boolean nonBrowserClientsPass) {
        String fetchSite = single(headers, "Sec-Fetch-Site");
        String origin = single(headers, "Origin");
        if (fetchSite != null && !"same-origin".equals(fetchSite)) {
            return false;
        }
        if (origin != null && !"null".equals(origin)) {
            return origin.equals(expectedOrigin);
        }
        if (fetchSite != null) {
            return true;
        }
        return origin == null && nonBrowserClientsPass;
    }

    /** A header sent more than once is treated as forged: the empty string matches no origin and no site. */
    private static String single(HttpHeaders headers, String name) {
        var values = headers.getRequestHeader(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : "";
    }
}
