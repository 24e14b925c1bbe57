package dev.proxyme.proxy;

import java.util.List;
import java.util.Locale;

import org.keycloak.models.ClientModel;

/**
 * How much of a request's path the activity log keeps for a portal, from the portal client's attribute
 * {@value #ATTRIBUTE}: {@code paths} (the default: the path with what looks like a secret redacted, see
 * {@link PathRedaction}), {@code routes} (only the route rule the request matched, e.g. {@code /reports/*}: for
 * portals whose paths carry secrets of their own shapes), or {@code off} (nothing is recorded for the portal). A value
 * Proxyme does not know records routes only: a typo never records more than was asked.
 */
public enum ActivityPaths {
    PATHS,
    ROUTES,
    OFF;

    public static final String ATTRIBUTE = "proxyme.activity";
    /** The attribute's values, as an administrator chooses them. */
    public static final List<String> NAMES = List.of("paths", "routes", "off");
    /** What a routes-only log records for a request no rule matches. */
    static final String NO_ROUTE = "[no route]";

    /** The attribute's value that means this. */
    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActivityPaths of(ClientModel portal) {
        String value = portal.getAttribute(ATTRIBUTE);
        if (value == null || value.isBlank()) {
            return PATHS;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "paths", "on", "true" -> PATHS;
            case "off", "false" -> OFF;
            default -> ROUTES;
        };
    }
}
