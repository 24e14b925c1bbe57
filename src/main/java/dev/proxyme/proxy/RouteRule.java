package dev.proxyme.proxy;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.proxyme.model.McpCall;

/**
 * One rule: the methods, the path as written (a prefix when {@code prefix}), the scope it asks for, the MCP call it
 * is for ({@code null}: any request), and the paths an exact rule matches: every reading of its path, as a router
 * reads a route template the way it reads a request ({@code POST /api/transfer/} is also {@code /api/transfer}), as
 * written and folded.
 */
record RouteRule(
        Set<String> methods,
        String path,
        boolean prefix,
        String scope,
        McpCall mcp,
        Set<String> exactPaths,
        Set<String> foldedPaths) {

    /**
     * Whether the rule decides the request: {@code YES}; {@code MAYBE} when it is for an MCP call and the request's
     * call is unknown (no believable {@code Mcp-Method} header), so that the request needs its scope too.
     */
    Match matches(String method, String requestPath, boolean folded, Optional<McpCall> call) {
        if (!methods.contains("*") && !methods.contains(method)) {
            return Match.NO;
        }
        if (!matchesPath(requestPath, folded)) {
            return Match.NO;
        }
        if (mcp == null) {
            return Match.YES;
        }
        if (call.isEmpty()
                || call.get().name() == null
                        && mcp.name() != null
                        && mcp.method().equals(call.get().method())) {
            // Unknown, or a call of the rule's method that does not say which tool: it may be this rule's.
            return Match.MAYBE;
        }
        return mcp.covers(call.get()) ? Match.YES : Match.NO;
    }

    private boolean matchesPath(String requestPath, boolean folded) {
        if (!prefix) {
            return (folded ? foldedPaths : exactPaths).contains(requestPath);
        }
        String rulePath = folded ? PathReadings.fold(path) : path;
        return requestPath.startsWith(rulePath)
                || rulePath.endsWith("/") && requestPath.equals(rulePath.substring(0, rulePath.length() - 1));
    }

    String pattern() {
        String pathPattern = prefix ? path + "*" : path;
        return mcp == null ? pathPattern : pathPattern + " " + mcp;
    }

    /**
     * {@code METHODS PATH} and, for an MCP call, its method and name, the path as it is matched; empty when the
     * path has no canonical form or the call is not of MCP's shape.
     */
    static Optional<RouteRule> of(String methods, String pathPattern, String scope, String mcpMethod, String mcpName) {
        if (!pathPattern.startsWith("/")) {
            return Optional.empty();
        }
        Optional<McpCall> mcp = mcpMethod == null ? Optional.empty() : McpCall.of(mcpMethod, mcpName);
        if (mcpMethod != null && mcp.isEmpty()) {
            return Optional.empty();
        }
        boolean prefix = pathPattern.endsWith("*");
        return CanonicalPath.of(prefix ? pathPattern.substring(0, pathPattern.length() - 1) : pathPattern)
                .map(path ->
                        of(Set.of(methods.toUpperCase(Locale.ROOT).split(",")), path, prefix, scope, mcp.orElse(null)));
    }

    static RouteRule of(Set<String> methods, String path, boolean prefix, String scope, McpCall mcp) {
        Set<String> exact = prefix ? Set.of() : PathReadings.readings(path);
        Set<String> folded = new LinkedHashSet<>();
        exact.forEach(reading -> folded.add(PathReadings.fold(reading)));
        return new RouteRule(methods, path, prefix, scope, mcp, exact, folded);
    }

    enum Match {
        NO,
        MAYBE,
        YES
    }
}
