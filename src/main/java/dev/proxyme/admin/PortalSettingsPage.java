package dev.proxyme.admin;

import java.util.List;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

import dev.proxyme.ProxymeException;
import dev.proxyme.clients.Portals;
import dev.proxyme.clients.RouteLabels;
import dev.proxyme.model.SpaceSeparated;
import dev.proxyme.proxy.ActivityPaths;
import dev.proxyme.proxy.RouteRules;

/**
 * "Proxyme portals" in the Admin Console: each portal (a confidential client marked {@value Portals#MARKER_ATTRIBUTE})
 * with the resource URIs agents know it by, its route rules and their labels for people, whether its paths are case-sensitive, and what the
 * activity log keeps of its requests. A client becomes a portal where Keycloak says so (its attribute, set by Proxyme's
 * realm import or the admin REST API); the page then lists it.
 */
public class PortalSettingsPage extends ClientSettingsPage {

    public static final String ID = "proxymePortals";

    private static final String RESOURCES = "resourceUris";
    private static final String ROUTES = "routes";
    private static final String ROUTE_LABELS = "routeLabels";
    private static final String CASE_SENSITIVE = "caseSensitivePaths";
    private static final String ACTIVITY = "activityPaths";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "proxymePortalsHelp";
    }

    @Override
    boolean lists(ClientModel client) {
        return Portals.isMarked(client);
    }

    @Override
    String notOfKindMessage() {
        return "proxymeSettingNotAPortal";
    }

    @Override
    List<Field> fields() {
        return List.of(
                new Field(
                        RESOURCES,
                        ProviderConfigProperty.MULTIVALUED_STRING_TYPE,
                        null,
                        (session, client) ->
                                List.copyOf(SpaceSeparated.words(client.getAttribute(Portals.RESOURCE_ATTRIBUTE)))),
                new Field(
                        ROUTES,
                        ProviderConfigProperty.TEXT_TYPE,
                        null,
                        (session, client) -> List.of(
                                String.join("\n", RouteRules.lines(client.getAttribute(RouteRules.ATTRIBUTE))))),
                new Field(
                        ROUTE_LABELS,
                        ProviderConfigProperty.TEXT_TYPE,
                        null,
                        (session, client) -> List.of(
                                String.join("\n", RouteLabels.lines(client.getAttribute(RouteLabels.ATTRIBUTE))))),
                new Field(
                        CASE_SENSITIVE,
                        ProviderConfigProperty.BOOLEAN_TYPE,
                        null,
                        (session, client) -> List.of(Boolean.toString(
                                Boolean.parseBoolean(client.getAttribute(RouteRules.CASE_SENSITIVE))))),
                new Field(
                        ACTIVITY,
                        ProviderConfigProperty.LIST_TYPE,
                        ActivityPaths.NAMES,
                        (session, client) -> List.of(ActivityPaths.of(client).attributeValue())));
    }

    @Override
    void check(KeycloakSession session, RealmModel realm, ClientModel client, ComponentModel form) {
        for (String resource : values(form, RESOURCES)) {
            if (Portals.normalizeResource(resource) == null) {
                throw ProxymeException.badRequest(
                        "invalid_request", "Not a resource URI (absolute, with a host, no fragment): " + resource);
            }
        }
        RouteRules.firstMalformed(single(form, ROUTES)).ifPresent(rule -> {
            throw ProxymeException.badRequest(
                    "invalid_request", "Not a route rule (METHODS PATH SCOPE [MCP-METHOD [NAME]]): " + rule);
        });
        RouteLabels.firstMalformed(single(form, ROUTE_LABELS)).ifPresent(line -> {
            throw ProxymeException.badRequest(
                    "invalid_request",
                    "Not a route label (ROUTE | words, at most " + RouteLabels.MAX_LABEL_LENGTH + " characters): "
                            + line);
        });
        String activity = single(form, ACTIVITY);
        if (activity != null && !ActivityPaths.NAMES.contains(activity)) {
            throw ProxymeException.badRequest("invalid_request", "Activity: one of " + ActivityPaths.NAMES);
        }
    }

    @Override
    void write(KeycloakSession session, RealmModel realm, ClientModel client, ComponentModel form) {
        client.setAttribute(Portals.RESOURCE_ATTRIBUTE, String.join(" ", values(form, RESOURCES)));
        String routes = single(form, ROUTES);
        client.setAttribute(RouteRules.ATTRIBUTE, routes == null ? "" : String.join("; ", RouteRules.lines(routes)));
        String labels = single(form, ROUTE_LABELS);
        client.setAttribute(RouteLabels.ATTRIBUTE, labels == null ? "" : String.join("\n", RouteLabels.lines(labels)));
        client.setAttribute(RouteRules.CASE_SENSITIVE, Boolean.toString("true".equals(single(form, CASE_SENSITIVE))));
        String activity = single(form, ACTIVITY);
        client.setAttribute(
                ActivityPaths.ATTRIBUTE, activity == null ? ActivityPaths.PATHS.attributeValue() : activity);
    }
}
