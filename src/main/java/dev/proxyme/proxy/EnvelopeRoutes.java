package dev.proxyme.proxy;

import java.util.List;

import dev.proxyme.model.Envelope;

/**
 * An envelope's routes, matched as a portal's route rules are: the same canonical paths, the same prefix form. They are
 * an allow list, so a request passes only when its path as written is on it: another letter case never widens it.
 */
final class EnvelopeRoutes {

    private static final String ALLOWED = "envelope";

    private EnvelopeRoutes() {}

    static boolean allow(Envelope envelope, String method, String uri) {
        // A route stored before routes had to be canonical (/%61dmin) is shown as written: it allows nothing.
        List<String> canonical =
                envelope.routes().stream().filter(Envelope::isCanonicalRoute).toList();
        return RouteRules.allowing(canonical, ALLOWED, false)
                .requiredScopes(method, uri)
                .filter(needed -> needed.equals(java.util.Set.of(ALLOWED)))
                .isPresent();
    }
}
