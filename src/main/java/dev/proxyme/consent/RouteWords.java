package dev.proxyme.consent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.keycloak.models.ClientModel;

import dev.proxyme.clients.RouteLabels;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.McpCall;

/**
 * An envelope's routes as a person reads them: the portal's own label where it gives one ({@link RouteLabels}), an MCP
 * tool by its name, otherwise what the methods do ("read", "send to", "change", "delete") to a path or "anything under"
 * a prefix. The raw pattern stays beside the words, as what is enforced. The templates put the words in the page's
 * language.
 */
public final class RouteWords {

    private static final Map<String, String> VERBS = Map.of(
            "GET", "read",
            "HEAD", "read",
            "OPTIONS", "read",
            "POST", "send",
            "PUT", "change",
            "PATCH", "change",
            "DELETE", "delete");

    private RouteWords() {}

    /** One view per route, in the routes' order. */
    public static List<Map<String, Object>> of(ClientModel portal, List<String> routes) {
        Map<String, String> labels = RouteLabels.of(portal);
        List<Map<String, Object>> views = new ArrayList<>();
        routes.forEach(route -> views.add(view(route, labels.get(route))));
        return views;
    }

    /** The same views by route, for a page that lists several delegations' routes. */
    public static Map<String, Map<String, Object>> byRoute(ClientModel portal, List<String> routes) {
        Map<String, Map<String, Object>> byRoute = new LinkedHashMap<>();
        of(portal, routes).forEach(view -> byRoute.put((String) view.get("pattern"), view));
        return byRoute;
    }

    static Map<String, Object> view(String route, String label) {
        Map<String, Object> view = new HashMap<>();
        view.put("pattern", route);
        if (label != null) {
            view.put("label", label);
        }
        Envelope.callOf(route).flatMap(McpCall::tool).ifPresent(tool -> view.put("tool", tool));
        String[] parts = route.split(" ");
        Set<String> verbs = new LinkedHashSet<>();
        for (String method : parts[0].split(",")) {
            verbs.add(VERBS.getOrDefault(method.toUpperCase(Locale.ROOT), "any"));
        }
        if (verbs.size() > 1 && verbs.contains("any")) {
            verbs = Set.of("any");
        }
        view.put("verbs", List.copyOf(verbs));
        String path = parts.length > 1 ? parts[1] : "/";
        boolean under = path.endsWith("*");
        view.put("under", under);
        view.put("path", under ? path.substring(0, path.length() - 1) : path);
        return view;
    }
}
