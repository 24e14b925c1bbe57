package dev.proxyme.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCConfigAttributes;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

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
    /** An agent identified by a client ID metadata document (its client id is the document's URL). */
    public static final String DOCUMENT_ATTRIBUTE = "proxyme.clientMetadataDocument";
    /** An agent that registered itself (RFC 7591) under the realm's self-registration policy: shown as not verified. */
    public static final String SELF_REGISTERED_ATTRIBUTE = "proxyme.selfRegistered";
    /** When it registered itself, in epoch seconds: Keycloak keeps no creation time of a client. */
    public static final String SELF_REGISTERED_AT_ATTRIBUTE = "proxyme.selfRegisteredAt";
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

    /**
     * OpenID Connect's and Keycloak's own scopes, which a realm lists in its metadata and clients add unasked (MCP
     * clients add {@code offline_access} whenever it is listed): an agent holds them as optional client scopes so that
     * Keycloak accepts a request naming them, but they are never delegated, never shown as a permission, and dropped
     * from the login once the user approves, so no offline session is ever made under a delegation.
     */
    public static final Set<String> OPENID_CONNECT_SCOPES = Set.of(
            "openid",
            "offline_access",
            "profile",
            "email",
            "address",
            "phone",
            "roles",
            "web-origins",
            "acr",
            "basic",
            "microprofile-jwt",
            "organization",
            "service_account");

    /** The names of these that could be delegated: all but OpenID Connect's and Keycloak's own. */
    public static Scopes delegable(Scopes names) {
        return Scopes.of(names.names().stream()
                .filter(name -> !OPENID_CONNECT_SCOPES.contains(name))
                .toList());
    }

    /** The scopes an agent client may ask to be delegated now: its optional client scopes but OpenID Connect's. */
    public static Scopes scopesOf(ClientModel agentClient) {
        // Keycloak keeps client scopes in a map: sorted, a default of them reads the same on every request and node.
        return delegable(Scopes.of(
                agentClient.getClientScopes(false).keySet().stream().sorted().toList()));
    }

    /**
     * Gives an agent client, as optional client scopes, every scope of {@link #OPENID_CONNECT_SCOPES} the realm has and
     * the client lacks, so that Keycloak accepts a request that names one (it refuses a scope not assigned to the
     * client with {@code invalid_scope}), and makes {@code offline_access} optional where an administrator assigned
     * it as a default: Keycloak adds a client's default scopes to every login, and an offline session under a
     * delegation would outlive it. Kept up at every start and after every change of an agent's client scopes.
     */
    public static void holdOpenIdConnectScopes(RealmModel realm, ClientModel agentClient) {
        ClientScopeModel defaultOffline = agentClient.getClientScopes(true).get(OAuth2Constants.OFFLINE_ACCESS);
        if (defaultOffline != null) {
            agentClient.removeClientScope(defaultOffline);
            agentClient.addClientScope(defaultOffline, false);
        }
        Set<String> held = new HashSet<>(agentClient.getClientScopes(true).keySet());
        held.addAll(agentClient.getClientScopes(false).keySet());
        realm.getClientScopesStream()
                .filter(scope -> OIDCLoginProtocol.LOGIN_PROTOCOL.equals(scope.getProtocol()))
                .filter(scope -> OPENID_CONNECT_SCOPES.contains(scope.getName()) && !held.contains(scope.getName()))
                .toList()
                .forEach(scope -> agentClient.addClientScope(scope, false));
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

    /**
     * The host that vouches for an agent identified by a client metadata document: the document's, as the user is
     * told on the consent page ({@code vscode.dev}); empty for an agent an administrator registered.
     */
    public Optional<String> documentHost() {
        if (!Boolean.parseBoolean(client.getAttribute(DOCUMENT_ATTRIBUTE))) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(new URI(client.getClientId()).getHost());
        } catch (URISyntaxException notAUrl) {
            return Optional.empty();
        }
    }

    /** Whether nobody vouches for this agent's name: it registered itself. */
    public boolean selfRegistered() {
        return Boolean.parseBoolean(client.getAttribute(SELF_REGISTERED_ATTRIBUTE));
    }

    public String clientId() {
        return client.getClientId();
    }

    public boolean allowsPortal(String portalClientId) {
        return anyPortal || allowedPortals.contains(portalClientId);
    }
}
