package dev.proxyme.clients;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.keycloak.models.ClientModel;

import dev.proxyme.model.DisplayText;
import dev.proxyme.model.Envelope;

/**
 * Plain words a portal gives its routes, for the people who read them on the consent and user pages: portal client
 * attribute {@value #ATTRIBUTE}, one label a line, {@code ROUTE | label} (a space before the bar), the route written as envelopes write it
 * ({@code GET,HEAD /reports/*}, {@code POST /mcp tools/call get_report}). A label in {@code ${key}} form is a key of the
 * realm's message bundles, so a portal can speak every language the realm does.
 */
public final class RouteLabels {

    public static final String ATTRIBUTE = "proxyme.routeLabels";
    public static final int MAX_LABEL_LENGTH = 120;

    private static final Pattern SEPARATOR = Pattern.compile("\\s\\|");

    private RouteLabels() {}

    /** The portal's labels by route; a malformed line labels nothing. */
    public static Map<String, String> of(ClientModel portal) {
        return portal == null ? Map.of() : parse(portal.getAttribute(ATTRIBUTE));
    }

    public static Map<String, String> parse(String attribute) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String line : lines(attribute)) {
            label(line).ifPresent(label -> labels.putIfAbsent(label.getKey(), label.getValue()));
        }
        return labels;
    }

    /** The attribute's non-blank lines, stripped. */
    public static List<String> lines(String attribute) {
        return attribute == null
                ? List.of()
                : Arrays.stream(attribute.split("\\R"))
                        .filter(line -> !line.isBlank())
                        .map(String::strip)
                        .toList();
    }

    /** The first line that is not {@code ROUTE | label}, if any: what an administrator's form says is wrong. */
    public static Optional<String> firstMalformed(String attribute) {
        return lines(attribute).stream().filter(line -> label(line).isEmpty()).findFirst();
    }

    /** The separator is the first {@code |} after a space: a route has no space before a bar (an MCP name may have one). */
    private static Optional<Map.Entry<String, String>> label(String line) {
        Matcher separator = SEPARATOR.matcher(line);
        if (!separator.find()) {
            return Optional.empty();
        }
        String route = line.substring(0, separator.start()).strip();
        String label = line.substring(separator.end()).strip();
        if (!Envelope.isCanonicalRoute(route)
                || label.isEmpty()
                || label.length() > MAX_LABEL_LENGTH
                || !DisplayText.isPlain(label)) {
            return Optional.empty();
        }
        return Optional.of(Map.entry(route, label));
    }
}
