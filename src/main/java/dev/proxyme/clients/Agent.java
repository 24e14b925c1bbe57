package dev.proxyme.clients;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.keycloak.models.ClientModel;
import org.keycloak.protocol.oidc.OIDCConfigAttributes;

import dev.proxyme.model.Scopes;
import dev.proxyme.model.SpaceSeparated;

/**
 * An agent: a Keycloak client marked {@value #MARKER_ATTRIBUTE}. What it may ask for lives on the client itself, so an
 * administrator can change it in the Admin Console: its optional client scopes are the scopes it may request,
 * attribute {@value #PORTALS_ATTRIBUTE} the portals (space-separated client ids, or {@value #ANY_PORTAL} for any portal;
 * absent or empty: none, so that an administrator clearing the list never widens it), and Keycloak's own
 * access-token lifespan the lifetime of each token.
 */
public record Agent(
        ClientModel client,
        Scopes allowedScopes,
        Set<String> allowedPortals,
        boolean anyPortal,
        int tokenLifetimeSeconds) {

    /** Client attribute marking a client that Proxyme registered as an agent (a contract: do not rename). */
    public static final String MARKER_ATTRIBUTE = "proxyme.agent";
    /** Agent client attribute: the portals it may ask for (a contract: do not rename). */
    public static final String PORTALS_ATTRIBUTE = "proxyme.portals";
    /** The value of {@value #PORTALS_ATTRIBUTE} that allows any portal of the realm. */
    public static final String ANY_PORTAL = "*";
    /** Agent client attribute: its portal list is explicit ({@value #ANY_PORTAL} for any), so an absent one means none. */
    public static final String PORTALS_EXPLICIT_ATTRIBUTE = "proxyme.portalsExplicit";

    public static final int DEFAULT_TOKEN_LIFETIME_SECONDS = 300;

    public static boolean isAgent(ClientModel client) {
        return client != null && Boolean.parseBoolean(client.getAttribute(MARKER_ATTRIBUTE));
    }

    public static Optional<Agent> of(ClientModel client) {
        if (!isAgent(client)) {
            return Optional.empty();
        }
        Set<String> portals = new LinkedHashSet<>(SpaceSeparated.words(client.getAttribute(PORTALS_ATTRIBUTE)));
        boolean any = portals.remove(ANY_PORTAL);
        return Optional.of(new Agent(client, scopesOf(client), portals, any, tokenLifetimeOf(client)));
    }

    /** The scopes an agent client may ask for now: its optional client scopes. */
    public static Scopes scopesOf(ClientModel agentClient) {
        return Scopes.of(agentClient.getClientScopes(false).keySet());
    }

    /**
     * Whether an agent client may reach a portal, from its attribute alone: the proxy check and introspection ask on
     * every request, without reading the agent's whole registration.
     */
    public static boolean allowsPortal(ClientModel agentClient, String portalClientId) {
        Set<String> portals = SpaceSeparated.words(agentClient.getAttribute(PORTALS_ATTRIBUTE));
        return portals.contains(ANY_PORTAL) || portals.contains(portalClientId);
    }

    private static int tokenLifetimeOf(ClientModel client) {
        try {
            int lifespan = Integer.parseInt(client.getAttribute(OIDCConfigAttributes.ACCESS_TOKEN_LIFESPAN));
            return lifespan > 0 ? lifespan : DEFAULT_TOKEN_LIFETIME_SECONDS;
        } catch (NumberFormatException notSet) {
            return DEFAULT_TOKEN_LIFETIME_SECONDS;
        }
    }

    public String clientId() {
        return client.getClientId();
    }

    public boolean allowsPortal(String portalClientId) {
        return anyPortal || allowedPortals.contains(portalClientId);
    }
}
