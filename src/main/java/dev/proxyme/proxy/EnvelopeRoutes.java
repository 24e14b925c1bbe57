package dev.proxyme.proxy;

import dev.proxyme.model.Envelope;

/** An envelope's routes, matched as a portal's route rules are: the same canonical paths, the same prefix form. */
final class EnvelopeRoutes {

    private static final String ANY_SCOPE = "envelope";

    private EnvelopeRoutes() {
    }

    static boolean allow(Envelope envelope, String method, String uri) {
        StringBuilder rules = new StringBuilder();
        // A route stored before routes had to be canonical (/%61dmin) is shown as written: it allows nothing.
        envelope.routes().stream().filter(Envelope::isCanonicalRoute)
                .forEach(route -> rules.append(route).append(' ').append(ANY_SCOPE).append('\n'));
        if (rules.isEmpty()) {
            return false;
        }
        // A malformed route makes the rules deny everything: their one rule then names another scope than ours.
        return RouteRules.parse(rules.toString()).requiredScope(method, uri).filter(ANY_SCOPE::equals).isPresent();
    }
}
