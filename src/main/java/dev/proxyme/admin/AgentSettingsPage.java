package dev.proxyme.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCConfigAttributes;
import org.keycloak.provider.ProviderConfigProperty;

import dev.proxyme.ProxymeNode;
import dev.proxyme.agent.AgentRegistration;
import dev.proxyme.clients.Agent;
import dev.proxyme.model.Scopes;
import dev.proxyme.model.SpaceSeparated;
import dev.proxyme.sessions.KeycloakConsentMirror;

/**
 * "Proxyme agents" in the Admin Console: each agent an administrator registered, with the portals it may ask for,
 * the scopes it may be delegated, its tokens' lifetime and signing algorithm, checked as Proxyme's registration checks
 * them. Agents that registered themselves or are named by a client metadata document are governed by their policy
 * and not listed.
 */
public class AgentSettingsPage extends ClientSettingsPage {

    public static final String ID = "proxymeAgents";

    private static final String PORTALS = "portals";
    private static final String SCOPES = "scopes";
    private static final String LIFETIME = "tokenLifetimeSeconds";
    private static final String ALGORITHM = "tokenSigningAlgorithm";
    /** The option that leaves the algorithm to the realm's default. */
    private static final String REALM_DEFAULT = "";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "proxymeAgentsHelp";
    }

    @Override
    boolean lists(ClientModel client) {
        return Agent.isAgent(client)
                && !Boolean.parseBoolean(client.getAttribute(Agent.SELF_REGISTERED_ATTRIBUTE))
                && !Boolean.parseBoolean(client.getAttribute(Agent.DOCUMENT_ATTRIBUTE));
    }

    @Override
    String notOfKindMessage() {
        return "proxymeSettingNotAnAgent";
    }

    @Override
    List<Field> fields() {
        List<String> algorithms = new ArrayList<>(List.of(REALM_DEFAULT));
        algorithms.addAll(new TreeSet<>(AgentRegistration.SIGNING_ALGORITHMS));
        return List.of(
                new Field(
                        PORTALS,
                        ProviderConfigProperty.MULTIVALUED_STRING_TYPE,
                        null,
                        (session, client) ->
                                List.copyOf(SpaceSeparated.words(client.getAttribute(Agent.PORTALS_ATTRIBUTE)))),
                new Field(
                        SCOPES,
                        ProviderConfigProperty.MULTIVALUED_STRING_TYPE,
                        null,
                        (session, client) -> List.copyOf(
                                Agent.of(client).orElseThrow().allowedScopes().names())),
                new Field(
                        LIFETIME,
                        ProviderConfigProperty.INTEGER_TYPE,
                        null,
                        (session, client) -> List.of(Integer.toString(Math.min(
                                Agent.of(client).orElseThrow().tokenLifetimeSeconds(),
                                ProxymeNode.of(session).settings().maxTokenLifetimeSeconds())))),
                new Field(
                        ALGORITHM,
                        ProviderConfigProperty.LIST_TYPE,
                        algorithms,
                        (session, client) -> List.of(
                                orEmpty(client.getAttribute(OIDCConfigAttributes.ACCESS_TOKEN_SIGNED_RESPONSE_ALG)))));
    }

    private static String orEmpty(String value) {
        return value == null ? REALM_DEFAULT : value;
    }

    @Override
    void check(KeycloakSession session, RealmModel realm, ClientModel client, ComponentModel form) {
        AgentRegistration registration = new AgentRegistration(session, realm);
        portalsOf(registration, form);
        registration.checkScopes(values(form, SCOPES));
        registration.checkTokenLifetime(lifetimeOf(form));
        registration.checkSigningAlg(single(form, ALGORITHM));
    }

    @Override
    void write(KeycloakSession session, RealmModel realm, ClientModel client, ComponentModel form) {
        AgentRegistration registration = new AgentRegistration(session, realm);
        client.setAttribute(Agent.PORTALS_ATTRIBUTE, portalsOf(registration, form));
        client.setAttribute(Agent.PORTALS_EXPLICIT_ATTRIBUTE, "true");
        narrowOrWidenScopes(realm, client, registration.checkScopes(values(form, SCOPES)));
        client.setAttribute(
                OIDCConfigAttributes.ACCESS_TOKEN_LIFESPAN,
                Integer.toString(registration.checkTokenLifetime(lifetimeOf(form))));
        String algorithm = registration.checkSigningAlg(single(form, ALGORITHM));
        if (algorithm == null) {
            client.removeAttribute(OIDCConfigAttributes.ACCESS_TOKEN_SIGNED_RESPONSE_ALG);
        } else {
            client.setAttribute(OIDCConfigAttributes.ACCESS_TOKEN_SIGNED_RESPONSE_ALG, algorithm);
        }
        KeycloakConsentMirror.followAgentOnCommit(session, realm, client.getClientId());
    }

    /** The portals attribute the form names: {@value Agent#ANY_PORTAL} alone for any portal, none for none. */
    private static String portalsOf(AgentRegistration registration, ComponentModel form) {
        List<String> named = values(form, PORTALS);
        if (named.isEmpty() || named.equals(List.of(Agent.ANY_PORTAL))) {
            return String.join(" ", named);
        }
        return String.join(" ", registration.checkPortals(named));
    }

    private static Long lifetimeOf(ComponentModel form) {
        String value = single(form, LIFETIME);
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException notANumber) {
            return -1L;
        }
    }

    /** The agent's optional client scopes become the delegable ones; OpenID Connect's stay as they are. */
    private static void narrowOrWidenScopes(RealmModel realm, ClientModel client, Scopes delegable) {
        client.getClientScopes(false).values().stream()
                .filter(scope -> !Agent.OPENID_CONNECT_SCOPES.contains(scope.getName()))
                .filter(scope -> !delegable.names().contains(scope.getName()))
                .toList()
                .forEach(client::removeClientScope);
        for (String name : delegable.names()) {
            ClientScopeModel scope = KeycloakModelUtils.getClientScopeByName(realm, name);
            if (scope != null && !client.getClientScopes(false).containsKey(name)) {
                client.addClientScope(scope, false);
            }
        }
    }
}
