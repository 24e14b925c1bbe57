package dev.proxyme.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which requests to a portal need which scope, from the portal client's attribute {@value #ATTRIBUTE}: rules separated
 * by {@code ;} or new lines, each {@code METHODS PATH SCOPE}. METHODS is {@code *} or a comma-separated list
 * ({@code GET,HEAD}); PATH is exact ({@code /status}) or a prefix ending in {@code /*} ({@code /reports/*}, which also
 * covers {@code /reports} itself). The first rule that matches the request's method and path decides: the token must
 * carry its scope. When a portal has rules, a request that matches none is refused; a portal without rules lets any
 * valid token through. Paths are compared in their {@link CanonicalPath canonical form}, case-sensitively
 * (RFC 3986 section 6.2.2.1); a request path without one never passes a portal that has rules.
 *
 * <pre>GET,HEAD /reports/* read; POST /* write; * /* read</pre>
 */
public final class RouteRules {

    public static final String ATTRIBUTE = "proxyme.routes";

    private record Rule(Set<String> methods, String path, boolean prefix, String scope) {
        boolean matches(String method, String requestPath) {
            return (methods.contains("*") || methods.contains(method)) && (prefix
                    ? requestPath.startsWith(path) || path.endsWith("/") && requestPath.equals(path.substring(0, path.length() - 1))
                    : requestPath.equals(path));
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
            Optional<String> path = CanonicalPath.of(prefix ? parts[1].substring(0, parts[1].length() - 1) : parts[1]);
            if (path.isEmpty()) {
                return denyAll();
            }
            rules.add(new Rule(Set.of(parts[0].toUpperCase(Locale.ROOT).split(",")), path.get(), prefix, parts[2]));
        }
        return new RouteRules(rules);
    }

    private static RouteRules denyAll() {
        return new RouteRules(List.of(new Rule(Set.of("*"), "/", true, "\u0000no-scope-can-match")));
    }

    /** The scopes the rules ask for, in their order (none for a portal without rules, or with malformed ones). */
    public List<String> scopes() {
        return rules.stream().map(Rule::scope).filter(scope -> !scope.startsWith("\u0000")).distinct().toList();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Whether a request with this method and URI (path and query, as the proxy saw it) may pass with these scopes.
     * A path without a canonical form never passes when the portal has rules.
     */
    public boolean allows(String method, String uri, Set<String> scopes) {
        return rules.isEmpty() || requiredScope(method, uri).filter(scopes::contains).isPresent();
    }

    /** The scope the first matching rule asks for; empty when no rule matches or the path has no canonical form. */
    public Optional<String> requiredScope(String method, String uri) {
        Optional<String> path = CanonicalPath.of(uri);
        if (path.isEmpty() || method == null) {
            return Optional.empty();
        }
        String upperMethod = method.toUpperCase(Locale.ROOT);
        for (Rule rule : rules) {
            if (rule.matches(upperMethod, path.get())) {
                return Optional.of(rule.scope());
            }
        }
        return Optional.empty();
    }
}
