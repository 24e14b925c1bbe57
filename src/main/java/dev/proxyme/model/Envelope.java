package dev.proxyme.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.keycloak.util.JsonSerialization;

/**
 * A task envelope: what a delegation may be used for beyond its scopes, enforced by the proxy check. A call budget
 * (at most {@code budget} requests through the proxy), the routes it may use ({@code METHODS PATH}, as in a portal's
 * route rules; none listed: whatever the portal's rules allow), and a time window ({@code notBefore}, {@code notAfter},
 * epoch seconds, inside the delegation's own end). Every part is optional; {@link #NONE} limits nothing.
 */
public record Envelope(Integer budget, List<String> routes, Long notBefore, Long notAfter) {

    public static final Envelope NONE = new Envelope(null, List.of(), null, null);
    public static final int MAX_BUDGET = 1_000_000;
    public static final int MAX_ROUTES = 20;
    /** The members of an envelope in JSON, wherever it is written or read. */
    public static final List<String> MEMBERS = List.of("budget", "routes", "not_before", "not_after");
    /**
     * {@code METHODS PATH}, the path written as it is matched: its canonical form (RFC 3986 characters, no escapes, no
     * {@code ;} parameters, no empty or dot segments), so that the user sees on the consent page what the proxy
     * enforces, never {@code /%61dmin}; a final {@code *} matches whatever follows. Then, for an MCP server, an
     * {@link McpCall}: {@code POST /mcp tools/call get_report}.
     */
    private static final Pattern ROUTE =
            Pattern.compile("^(\\*|[A-Z]{1,16}(,[A-Z]{1,16})*) ((/[A-Za-z0-9._~!$&'()+,=:@-]*)+)\\*?" + "( "
                    + McpCall.METHOD_SHAPE + "( " + McpCall.NAME_SHAPE + ")?)?$");

    private static final Pattern DOT_OR_EMPTY_SEGMENT = Pattern.compile("//|/\\.\\.?(/|$|\\*)");

    public Envelope {
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    public boolean isEmpty() {
        return budget == null && routes.isEmpty() && notBefore == null && notAfter == null;
    }

    /** Whether the window is open at this second. */
    public boolean isOpenAt(long nowSeconds) {
        return (notBefore == null || nowSeconds >= notBefore) && (notAfter == null || nowSeconds < notAfter);
    }

    /**
     * This envelope inside a delegation ending at {@code endSeconds}: a window that would end later ends with the
     * delegation, so that nobody is shown a window longer than what is enforced.
     *
     * @throws IllegalArgumentException when the window would open only after the delegation has ended
     */
    public Envelope endingBy(long endSeconds) {
        if (notBefore != null && notBefore >= endSeconds) {
            throw new IllegalArgumentException("The envelope's window opens after the delegation ends");
        }
        return notAfter == null || notAfter <= endSeconds ? this : new Envelope(budget, routes, notBefore, endSeconds);
    }

    /** This envelope with another budget (0: no call passes). */
    public Envelope withBudget(int newBudget) {
        return new Envelope(newBudget, routes, notBefore, notAfter);
    }

    /** Whether this envelope is at least as tight as {@code proposed} in every part: what a user may approve of it. */
    public boolean isWithin(Envelope proposed) {
        return (proposed.budget == null || budget != null && budget <= proposed.budget)
                && (proposed.routes.isEmpty() || !routes.isEmpty() && proposed.routes.containsAll(routes))
                && (proposed.notBefore == null || notBefore != null && notBefore >= proposed.notBefore)
                && (proposed.notAfter == null || notAfter != null && notAfter <= proposed.notAfter);
    }

    /**
     * An envelope as an agent proposes it: {@code budget} 1 to {@value #MAX_BUDGET}, up to {@value #MAX_ROUTES}
     * {@code routes}, {@code not_before} before {@code not_after}. Refusals name the part.
     *
     * @throws IllegalArgumentException with a message for the agent
     */
    /** Whether a route is written as it is matched (see {@link #ROUTE}); one stored before that rule matches nothing. */
    public static boolean isCanonicalRoute(String route) {
        return route != null
                && route.length() <= 256
                && ROUTE.matcher(route).matches()
                && !DOT_OR_EMPTY_SEGMENT.matcher(route.split(" ")[1]).find();
    }

    /** The MCP call a canonical route names ({@code POST /mcp tools/call get_report}), if it names one. */
    public static java.util.Optional<McpCall> callOf(String route) {
        String[] parts = route == null ? new String[0] : route.split(" ");
        return parts.length < 3 ? java.util.Optional.empty() : McpCall.of(parts[2], parts.length > 3 ? parts[3] : null);
    }

    public static Envelope of(Integer budget, List<String> routes, Long notBefore, Long notAfter) {
        if (budget != null && (budget < 1 || budget > MAX_BUDGET)) {
            throw new IllegalArgumentException("'budget' must be 1 to " + MAX_BUDGET);
        }
        List<String> checked = new ArrayList<>();
        for (String route : routes == null ? List.<String>of() : routes) {
            if (!isCanonicalRoute(route)) {
                throw new IllegalArgumentException(
                        "Each route is 'METHODS PATH' with the path as it is matched, no escapes,"
                                + " ';', '//' or dot segments, e.g. 'GET,HEAD /reports/*'");
            }
            if (!checked.contains(route)) {
                checked.add(route);
            }
        }
        if (checked.size() > MAX_ROUTES) {
            throw new IllegalArgumentException("At most " + MAX_ROUTES + " routes");
        }
        if (notBefore != null && notAfter != null && notBefore >= notAfter) {
            throw new IllegalArgumentException("'not_before' must come before 'not_after'");
        }
        return new Envelope(budget, checked, notBefore, notAfter);
    }

    /**
     * The envelope as portals, users and administrators read it (introspection's {@code envelope} member, the JSON APIs):
     * {@code budget} with {@code used}, {@code routes}, {@code not_before}, {@code not_after}; only the parts it has.
     */
    public Map<String, Object> claim(int callsUsed) {
        Map<String, Object> claim = new LinkedHashMap<>();
        if (budget != null) {
            claim.put("budget", budget);
            claim.put("used", callsUsed);
        }
        if (!routes.isEmpty()) {
            claim.put("routes", routes);
        }
        if (notBefore != null) {
            claim.put("not_before", notBefore);
        }
        if (notAfter != null) {
            claim.put("not_after", notAfter);
        }
        return claim;
    }

    /** The stored form (a JSON object), or null for {@link #NONE}. */
    public String toJson() {
        if (isEmpty()) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("budget", budget);
        json.put("routes", routes);
        json.put("not_before", notBefore);
        json.put("not_after", notAfter);
        try {
            return JsonSerialization.writeValueAsString(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Envelope fromJson(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        try {
            Map<?, ?> map = JsonSerialization.readValue(json, Map.class);
            List<String> routes = new ArrayList<>();
            if (map.get("routes") instanceof List<?> list) {
                list.forEach(route -> routes.add(String.valueOf(route)));
            }
            return new Envelope(
                    map.get("budget") instanceof Number n ? n.intValue() : null,
                    routes,
                    map.get("not_before") instanceof Number n ? n.longValue() : null,
                    map.get("not_after") instanceof Number n ? n.longValue() : null);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not an envelope", e);
        }
    }
}
