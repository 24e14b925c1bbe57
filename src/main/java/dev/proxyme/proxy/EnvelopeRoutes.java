package dev.proxyme.proxy;

import java.util.List;

import dev.proxyme.model.Envelope;

/**
 * An envelope's routes, matched as a portal's route rules are: the same canonical paths, the same prefix form. They are
 * an allow list, so a request passes only when its path as written is on it: another letter case never widens it, and
 * a route for an MCP call ({@code POST /mcp tools/call get_report}) passes only a request that names that call.
 */
final class EnvelopeRoutes {

    private static final String ALLOWED = "envelope";

    private EnvelopeRoutes() {}

    static boolean allow(Envelope envelope, ForwardedRequest request) {
        // A route stored before routes had to be canonical (/%61dmin) is shown as written: it allows nothing.
        List<String> canonical =
                envelope.routes().stream().filter(Envelope::isCanonicalRoute).toList();
        return RouteRules.allowing(canonical, ALLOWED, false)
                .requiredScopes(request.method(), request.uri(), request.mcpCall())
                .filter(needed -> needed.equals(java.util.Set.of(ALLOWED)))
                .isPresent();
    }
}
