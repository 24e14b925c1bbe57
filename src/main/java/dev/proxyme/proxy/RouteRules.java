package dev.proxyme.proxy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.keycloak.models.ClientModel;

/**
 * Which requests to a portal need which scope, from the portal client's attribute {@value #ATTRIBUTE}: rules separated
 * by {@code ;} or new lines, each {@code METHODS PATH SCOPE}. METHODS is {@code *} or a comma-separated list
 * ({@code GET,HEAD}); PATH is exact ({@code /status}) or a prefix ending in {@code *} ({@code /reports/*}, which also
 * covers {@code /reports} itself). The first rule that matches the request's method and path decides: the token must
 * carry its scope. When a portal has rules, a request that matches none is refused; a portal without rules lets any
 * valid token through. Paths are compared in their {@link CanonicalPath canonical form}; a request path without one
 * never passes a portal that has rules.
 *
 * <p>Readings: portals' routers read one path in several ways, and Proxyme cannot tell which a portal does. Many
 * route case-insensitively (Express by default, ASP.NET Core, IIS); many ignore a trailing slash, or a format suffix
 * ({@code .json}). A path has all those readings (its letters folded: every code point upper-cased then lower-cased,
 * which also folds what Unicode maps to ASCII letters: {@code ı}, {@code ſ}, {@code K}); when they fall under
 * different rules, the request needs the scopes of all of them. So {@code /Admin/users}, {@code /admin/users/} and
 * {@code /admin.json} need what {@code /admin/users} and {@code /admin} need. A rule's path is read the same way, as
 * routers read their route templates: {@code POST /api/transfer/ write} also covers {@code /api/transfer}, and
 * {@code GET /export.json write} also {@code /export}. A {@code HEAD} request also needs what a {@code GET} of its path
 * needs, as frameworks answer it with the GET handler. A portal that says its paths are
 * case-sensitive ({@value #CASE_SENSITIVE} = {@code true}) is read in its exact case only.
 *
 * <pre>GET,HEAD /reports/* read; POST /* write; * /* read</pre>
 */
public final class RouteRules {

    public static final String ATTRIBUTE = "proxyme.routes";
    /** Portal client attribute: {@code true} when the portal routes paths case-sensitively. */
    public static final String CASE_SENSITIVE = "proxyme.caseSensitivePaths";

    private static final String NO_SCOPE = "\u0000no-scope-can-match";

    /**
     * One rule: the methods, the path as written (a prefix when {@code prefix}), the scope it asks for, and the paths
     * an exact rule matches: every reading of its path, as a router reads a route template the way it reads a request
     * ({@code POST /api/transfer/} is also {@code /api/transfer}), as written and folded.
     */
    private record Rule(
            Set<String> methods,
            String path,
            boolean prefix,
            String scope,
            Set<String> exactPaths,
            Set<String> foldedPaths) {

        boolean matches(String method, String requestPath, boolean folded) {
            if (!methods.contains("*") && !methods.contains(method)) {
                return false;
            }
            if (!prefix) {
                return (folded ? foldedPaths : exactPaths).contains(requestPath);
            }
            String rulePath = folded ? fold(path) : path;
            return requestPath.startsWith(rulePath)
                    || rulePath.endsWith("/") && requestPath.equals(rulePath.substring(0, rulePath.length() - 1));
        }

        String pattern() {
            return prefix ? path + "*" : path;
        }

        /** {@code METHODS PATH}, the path as it is matched, or empty when it has no canonical form. */
        static Optional<Rule> of(String methods, String pathPattern, String scope) {
            if (!pathPattern.startsWith("/")) {
                return Optional.empty();
            }
            boolean prefix = pathPattern.endsWith("*");
            return CanonicalPath.of(prefix ? pathPattern.substring(0, pathPattern.length() - 1) : pathPattern)
                    .map(path -> of(Set.of(methods.toUpperCase(Locale.ROOT).split(",")), path, prefix, scope));
        }

        static Rule of(Set<String> methods, String path, boolean prefix, String scope) {
            Set<String> exact = prefix ? Set.of() : readings(path);
            Set<String> folded = new LinkedHashSet<>();
            exact.forEach(reading -> folded.add(fold(reading)));
            return new Rule(methods, path, prefix, scope, exact, folded);
        }
    }

    private final List<Rule> rules;
    private final boolean caseSensitive;

    private RouteRules(List<Rule> rules, boolean caseSensitive) {
        this.rules = rules;
        this.caseSensitive = caseSensitive;
    }

    /** A portal's rules as its attributes say: {@value #ATTRIBUTE}, read with {@value #CASE_SENSITIVE}. */
    public static RouteRules of(ClientModel portal) {
        return parse(portal.getAttribute(ATTRIBUTE), Boolean.parseBoolean(portal.getAttribute(CASE_SENSITIVE)));
    }

    /** Parses the attribute for a portal whose paths may be case-insensitive. */
    public static RouteRules parse(String attribute) {
        return parse(attribute, false);
    }

    /** Parses the attribute; a malformed rule makes the whole set deny everything rather than allow too much. */
    public static RouteRules parse(String attribute, boolean caseSensitive) {
        List<Rule> rules = new ArrayList<>();
        if (attribute == null || attribute.isBlank()) {
            return new RouteRules(rules, caseSensitive);
        }
        for (String line : attribute.split("[;\\n]")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 1 && parts[0].isEmpty()) {
                continue;
            }
            Optional<Rule> rule = parts.length == 3 ? Rule.of(parts[0], parts[1], parts[2]) : Optional.empty();
            if (rule.isEmpty()) {
                return denyAll(caseSensitive);
            }
            rules.add(rule.get());
        }
        return new RouteRules(rules, caseSensitive);
    }

    /**
     * Routes ({@code METHODS PATH}, written canonically) as rules that all ask for one scope: an envelope's allow list,
     * matched as a portal's rules are. A route that is not canonical allows nothing.
     */
    static RouteRules allowing(List<String> routes, String scope, boolean caseSensitive) {
        List<Rule> rules = new ArrayList<>();
        for (String route : routes) {
            String[] parts = route.split(" ", 2);
            if (parts.length == 2) {
                Rule.of(parts[0], parts[1], scope).ifPresent(rules::add);
            }
        }
        return rules.isEmpty() ? denyAll(caseSensitive) : new RouteRules(rules, caseSensitive);
    }

    private static RouteRules denyAll(boolean caseSensitive) {
        return new RouteRules(List.of(Rule.of(Set.of("*"), "/", true, NO_SCOPE)), caseSensitive);
    }

    /** The scopes the rules ask for, in their order (none for a portal without rules, or with malformed ones). */
    public List<String> scopes() {
        return rules.stream()
                .map(Rule::scope)
                .filter(scope -> !NO_SCOPE.equals(scope))
                .distinct()
                .toList();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Whether a request with this method and URI (path and query, as the proxy saw it) may pass with these scopes.
     * A path without a canonical form never passes when the portal has rules.
     */
    public boolean allows(String method, String uri, Set<String> scopes) {
        return rules.isEmpty()
                || requiredScopes(method, uri).filter(scopes::containsAll).isPresent();
    }

    /**
     * What every reading of the request needs: the scope of the first rule that matches it as written, and of the
     * first rule that matches each other reading a portal's router may make of it: its letters folded (unless the
     * portal's paths are case-sensitive), without a trailing slash, without a format suffix
     * ({@code /admin.json} as {@code /admin}). Empty when no rule matches the path as written, or the path has no
     * canonical form: then no token passes.
     */
    public Optional<Set<String>> requiredScopes(String method, String uri) {
        Optional<String> path = CanonicalPath.of(uri);
        if (path.isEmpty() || method == null) {
            return Optional.empty();
        }
        String upperMethod = method.toUpperCase(Locale.ROOT);
        Optional<Rule> exact = firstMatch(upperMethod, path.get(), false);
        if (exact.isEmpty()) {
            return Optional.empty();
        }
        Set<String> needed = new LinkedHashSet<>();
        needed.add(exact.get().scope());
        // Express, Flask, Rails and Spring answer HEAD with the GET handler (its body dropped, its effects kept).
        List<String> methods = upperMethod.equals("HEAD") ? List.of("HEAD", "GET") : List.of(upperMethod);
        for (String readMethod : methods) {
            for (String reading : readings(path.get())) {
                firstMatch(readMethod, reading, false).map(Rule::scope).ifPresent(needed::add);
                if (!caseSensitive) {
                    firstMatch(readMethod, fold(reading), true).map(Rule::scope).ifPresent(needed::add);
                }
            }
        }
        return needed.contains(NO_SCOPE) ? Optional.empty() : Optional.of(needed);
    }

    /**
     * The path as written, and as routers read it otherwise: Express, Rails, Laravel and ASP.NET Core ignore a trailing
     * slash by default; Rails ({@code (.:format)}), Spring's suffix matching and Django REST Framework's format suffixes
     * route {@code /admin.json} to {@code /admin}, and Spring's {@code .*} suffix also {@code /admin.x.json}: the last
     * segment cut at its last dot and at its first.
     */
    static Set<String> readings(String path) {
        Set<String> readings = new LinkedHashSet<>();
        readings.add(path);
        String withoutSlash = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        readings.add(withoutSlash);
        int segment = withoutSlash.lastIndexOf('/');
        int lastDot = withoutSlash.lastIndexOf('.');
        if (lastDot > segment + 1) {
            readings.add(withoutSlash.substring(0, lastDot));
            readings.add(withoutSlash.substring(0, withoutSlash.indexOf('.', segment + 2)));
        }
        return readings;
    }

    /** The pattern of the rule that decides the request as written ({@code /reports/*}), for a routes-only log. */
    public Optional<String> matchedPattern(String method, String uri) {
        Optional<String> path = CanonicalPath.of(uri);
        return path.isEmpty() || method == null
                ? Optional.empty()
                : firstMatch(method.toUpperCase(Locale.ROOT), path.get(), false)
                        .filter(rule -> !NO_SCOPE.equals(rule.scope()))
                        .map(Rule::pattern);
    }

    private Optional<Rule> firstMatch(String method, String path, boolean folded) {
        for (Rule rule : rules) {
            if (rule.matches(method, path, folded)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    /** Each code point upper-cased, then lower-cased: one form for every spelling a case-insensitive router equates. */
    static String fold(String path) {
        StringBuilder folded = new StringBuilder(path.length());
        path.codePoints().forEach(c -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
        return folded.toString();
    }
}
