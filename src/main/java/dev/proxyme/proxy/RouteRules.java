package dev.proxyme.proxy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.keycloak.models.ClientModel;

import dev.proxyme.model.McpCall;

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
 * <p>MCP calls: a rule may name, after its scope, an MCP method and a name ({@code POST /mcp write tools/call
 * delete_invoice}, {@code POST /mcp read tools/call}); it decides only a request whose {@link McpCall} (its
 * {@code Mcp-Method} and {@code Mcp-Name} headers, under a protocol version whose servers verify them) is that call.
 * A request whose call is unknown (no such headers, or an older protocol version, whose servers read the body alone)
 * needs the scope of every rule for a call that it may be, as well as of the rule for any request that decides it.
 *
 * <pre>GET,HEAD /reports/* read; POST /* write; * /* read</pre>
 */
public final class RouteRules {

    public static final String ATTRIBUTE = "proxyme.routes";
    /** Portal client attribute: {@code true} when the portal routes paths case-sensitively. */
    public static final String CASE_SENSITIVE = "proxyme.caseSensitivePaths";

    private static final String NO_SCOPE = "\u0000no-scope-can-match";

    /** What the rules say of one reading of a request: the rule that decides it, and the rules it may be for before. */
    private record Decision(List<RouteRule> maybe, RouteRule decided) {

        Optional<Set<String>> scopes() {
            if (decided == null && maybe.isEmpty()) {
                return Optional.empty();
            }
            Set<String> scopes = new LinkedHashSet<>();
            maybe.forEach(rule -> scopes.add(rule.scope()));
            if (decided != null) {
                scopes.add(decided.scope());
            }
            return Optional.of(scopes);
        }
    }

    private final List<RouteRule> rules;
    private final boolean caseSensitive;
    /** An allow list (an envelope's routes): a rule for an MCP call never counts for a request whose call is unknown. */
    private final boolean allowList;

    private RouteRules(List<RouteRule> rules, boolean caseSensitive, boolean allowList) {
        this.rules = rules;
        this.caseSensitive = caseSensitive;
        this.allowList = allowList;
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
        List<RouteRule> rules = new ArrayList<>();
        if (attribute == null || attribute.isBlank()) {
            return new RouteRules(rules, caseSensitive, false);
        }
        for (String line : attribute.split("[;\\n]")) {
            if (line.isBlank()) {
                continue;
            }
            Optional<RouteRule> rule = rule(line);
            if (rule.isEmpty()) {
                return denyAll(caseSensitive);
            }
            rules.add(rule.get());
        }
        return new RouteRules(rules, caseSensitive, false);
    }

    /** The attribute's rules, one a line as written, without empty ones. */
    public static List<String> lines(String attribute) {
        if (attribute == null) {
            return List.of();
        }
        return java.util.Arrays.stream(attribute.split("[;\\n]"))
                .filter(line -> !line.isBlank())
                .map(String::strip)
                .toList();
    }

    /** The first line of the attribute that is not a rule, if any: what an administrator's form says is wrong. */
    public static Optional<String> firstMalformed(String attribute) {
        if (attribute == null) {
            return Optional.empty();
        }
        for (String line : attribute.split("[;\\n]")) {
            if (!line.isBlank() && rule(line).isEmpty()) {
                return Optional.of(line.strip());
            }
        }
        return Optional.empty();
    }

    private static Optional<RouteRule> rule(String line) {
        String[] parts = line.trim().split("\\s+");
        return parts.length >= 3 && parts.length <= 5
                ? RouteRule.of(
                        parts[0],
                        parts[1],
                        parts[2],
                        parts.length > 3 ? parts[3] : null,
                        parts.length > 4 ? parts[4] : null)
                : Optional.empty();
    }

    /**
     * Routes ({@code METHODS PATH}, written canonically) as rules that all ask for one scope: an envelope's allow list,
     * matched as a portal's rules are. A route that is not canonical allows nothing.
     */
    static RouteRules allowing(List<String> routes, String scope, boolean caseSensitive) {
        List<RouteRule> rules = new ArrayList<>();
        for (String route : routes) {
            String[] parts = route.split(" ");
            if (parts.length >= 2 && parts.length <= 4) {
                RouteRule.of(
                                parts[0],
                                parts[1],
                                scope,
                                parts.length > 2 ? parts[2] : null,
                                parts.length > 3 ? parts[3] : null)
                        .ifPresent(rules::add);
            }
        }
        return rules.isEmpty() ? denyAll(caseSensitive) : new RouteRules(rules, caseSensitive, true);
    }

    private static RouteRules denyAll(boolean caseSensitive) {
        return new RouteRules(List.of(RouteRule.of(Set.of("*"), "/", true, NO_SCOPE, null)), caseSensitive, false);
    }

    /** The scopes the rules ask for, in their order (none for a portal without rules, or with malformed ones). */
    public List<String> scopes() {
        return rules.stream()
                .map(RouteRule::scope)
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
        return allows(method, uri, Optional.empty(), scopes);
    }

    /** The same for a request that names its MCP call (or, empty, does not name one that can be believed). */
    public boolean allows(String method, String uri, Optional<McpCall> call, Set<String> scopes) {
        return rules.isEmpty()
                || requiredScopes(method, uri, call).filter(scopes::containsAll).isPresent();
    }

    public Optional<Set<String>> requiredScopes(String method, String uri) {
        return requiredScopes(method, uri, Optional.empty());
    }

    /**
     * What every reading of the request needs: the scope of the first rule that matches it as written, and of the
     * first rule that matches each other reading a portal's router may make of it: its letters folded (unless the
     * portal's paths are case-sensitive), without a trailing slash, without a format suffix
     * ({@code /admin.json} as {@code /admin}). A request whose MCP call is unknown also needs the scope of every rule
     * for an MCP call that it may be, before the rule that decides it. Empty when no rule matches the path as written,
     * or the path has no canonical form: then no token passes.
     */
    public Optional<Set<String>> requiredScopes(String method, String uri, Optional<McpCall> call) {
        Optional<String> path = CanonicalPath.of(uri);
        if (path.isEmpty() || method == null) {
            return Optional.empty();
        }
        String upperMethod = method.toUpperCase(Locale.ROOT);
        Optional<Set<String>> exact =
                decide(upperMethod, path.get(), false, call).scopes();
        if (exact.isEmpty()) {
            return Optional.empty();
        }
        Set<String> needed = new LinkedHashSet<>(exact.get());
        // Express, Flask, Rails and Spring answer HEAD with the GET handler (its body dropped, its effects kept).
        List<String> methods = upperMethod.equals("HEAD") ? List.of("HEAD", "GET") : List.of(upperMethod);
        for (String readMethod : methods) {
            for (String reading : PathReadings.readings(path.get())) {
                decide(readMethod, reading, false, call).scopes().ifPresent(needed::addAll);
                if (!caseSensitive) {
                    decide(readMethod, PathReadings.fold(reading), true, call)
                            .scopes()
                            .ifPresent(needed::addAll);
                }
            }
        }
        return needed.contains(NO_SCOPE) ? Optional.empty() : Optional.of(needed);
    }

    /**
     * The pattern of the rule that decides the request as written ({@code /reports/*}, {@code /mcp tools/call get_report}),
     * for a routes-only log.
     */
    public Optional<String> matchedPattern(String method, String uri, Optional<McpCall> call) {
        Optional<String> path = CanonicalPath.of(uri);
        return path.isEmpty() || method == null
                ? Optional.empty()
                : Optional.ofNullable(decide(method.toUpperCase(Locale.ROOT), path.get(), false, call)
                                .decided())
                        .filter(rule -> !NO_SCOPE.equals(rule.scope()))
                        .map(RouteRule::pattern);
    }

    public Optional<String> matchedPattern(String method, String uri) {
        return matchedPattern(method, uri, Optional.empty());
    }

    private Decision decide(String method, String path, boolean folded, Optional<McpCall> call) {
        List<RouteRule> maybe = new ArrayList<>();
        for (RouteRule rule : rules) {
            RouteRule.Match match = rule.matches(method, path, folded, call);
            if (match == RouteRule.Match.YES) {
                return new Decision(maybe, rule);
            }
            if (match == RouteRule.Match.MAYBE && !allowList) {
                maybe.add(rule);
            }
        }
        return new Decision(maybe, null);
    }
}
