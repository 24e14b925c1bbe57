package dev.proxyme.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which requests to a portal need which scope, from the portal client's attribute {@value #ATTRIBUTE}: rules separated
 * by {@code ;} or new lines, each {@code METHODS PATH SCOPE}. METHODS is {@code *} or a comma-separated list
 * ({@code GET,HEAD}); PATH is exact ({@code /status}) or a prefix ending in {@code *} ({@code /reports/*}).
 * The first rule that matches the request's method and path decides: the token must carry its scope. When a portal
 * has rules, a request that matches none is refused; a portal without rules lets any valid token through.
 *
 * <pre>GET,HEAD /reports/* read; POST /* write; * /* read</pre>
 */
public final class RouteRules {

    public static final String ATTRIBUTE = "proxyme.routes";

    private record Rule(Set<String> methods, String path, boolean prefix, String scope) {
        boolean matches(String method, String requestPath) {
            return (methods.contains("*") || methods.contains(method))
                    && (prefix ? requestPath.startsWith(path) : requestPath.equals(path));
        }
    }

    private final List<Rule> rules;

    private RouteRules(List<Rule> rules) {
        this.rules = rules;
    }

    /** Parses the attribute; a malformed rule makes the whole set deny everything rather than allow too much. */
    public static RouteRules parse(String attribute) {
        List<Rule> rules = new ArrayList<>();
        if (attribute == null || attribute.isBlank()) {
            return new RouteRules(rules);
        }
        for (String line : attribute.split("[;\\n]")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 1 && parts[0].isEmpty()) {
                continue;
            }
            if (parts.length != 3 || !parts[1].startsWith("/")) {
                return denyAll();
            }
            boolean prefix = parts[1].endsWith("*");
            String path = prefix ? parts[1].substring(0, parts[1].length() - 1) : parts[1];
            rules.add(new Rule(Set.of(parts[0].toUpperCase(Locale.ROOT).split(",")), path, prefix, parts[2]));
        }
        return new RouteRules(rules);
    }

    private static RouteRules denyAll() {
        return new RouteRules(List.of(new Rule(Set.of("*"), "/", true, "\u0000no-scope-can-match")));
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Whether a request with this method and URI (path and query, as the proxy saw it) may pass with these scopes.
     * Paths a proxy and a portal could read differently (dot segments, encoded slashes or dots, backslashes) never pass
     * when the portal has rules.
     */
    public boolean allows(String method, String uri, Set<String> scopes) {
        if (rules.isEmpty()) {
            return true;
        }
        String path = pathOf(uri);
        if (path == null || method == null) {
            return false;
        }
        String upperMethod = method.toUpperCase(Locale.ROOT);
        for (Rule rule : rules) {
            if (rule.matches(upperMethod, path)) {
                return scopes.contains(rule.scope());
            }
        }
        return false;
    }

    private static String pathOf(String uri) {
        if (uri == null || !uri.startsWith("/")) {
            return null;
        }
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%2e") || lower.contains("%5c") || path.contains("\\")
                || path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..")
                || path.contains("//")) {
            return null;
        }
        return path;
    }
}
