package dev.proxyme.agent;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import dev.proxyme.Proxyme;
import dev.proxyme.delegation.Scopes;
import org.keycloak.models.ClientModel;
import org.keycloak.protocol.oidc.OIDCConfigAttributes;

/**
 * An agent: a Keycloak client that Proxyme registered. What it may ask for lives on the client itself, so an admin
 * can change it in the Admin Console: its optional client scopes are the scopes it may request, attribute
 * {@value Proxyme#AGENT_PORTALS_ATTRIBUTE} the portals (absent = any portal), and Keycloak's own access-token lifespan
 * the lifetime of each token.
 */
public record Agent(ClientModel client, Scopes allowedScopes, Set<String> allowedPortals, int tokenLifetimeSeconds) {

    public static final int DEFAULT_TOKEN_LIFETIME_SECONDS = 300;

    public static boolean isAgent(ClientModel client) {
        return client != null && Boolean.parseBoolean(client.getAttribute(Proxyme.AGENT_ATTRIBUTE));
    }

    /**
     * Whether an agent client may reach a portal, from its attribute alone: the proxy check and introspection ask on
     * every request, without reading the agent's whole registration.
     */
    public static boolean allowsPortal(ClientModel agentClient, String portalClientId) {
        Set<String> portals = Scopes.parse(agentClient.getAttribute(Proxyme.AGENT_PORTALS_ATTRIBUTE)).names();
        return portals.isEmpty() || portals.contains(portalClientId);
    }

    public static Optional<Agent> of(ClientModel client) {
        if (!isAgent(client)) {
            return Optional.empty();
        }
        Scopes scopes = Scopes.of(client.getClientScopes(false).keySet());
        Set<String> portals = new LinkedHashSet<>(Scopes.parse(client.getAttribute(Proxyme.AGENT_PORTALS_ATTRIBUTE)).names());
        return Optional.of(new Agent(client, scopes, portals, tokenLifetimeOf(client)));
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

    public boolean allowsAnyPortal() {
        return allowedPortals.isEmpty();
    }

    public boolean allowsPortal(String portalClientId) {
        return allowsAnyPortal() || allowedPortals.contains(portalClientId);
    }

}
