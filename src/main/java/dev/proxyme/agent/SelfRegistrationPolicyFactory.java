package dev.proxyme.agent;

import java.util.List;

import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientregistration.ClientRegistrationContext;
import org.keycloak.services.clientregistration.ClientRegistrationProvider;
import org.keycloak.services.clientregistration.policy.AbstractClientRegistrationPolicyFactory;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicyManager;
import org.keycloak.services.clientregistration.policy.RegistrationAuth;

import dev.proxyme.ProxymeException;
import dev.proxyme.RateLimit;
import dev.proxyme.clients.Agent;

/**
 * The switch and the terms of self-registration, where Keycloak governs anonymous registration: an administrator adds
 * this policy to the realm's anonymous access policies (Clients, Client registration) to let clients register
 * themselves at Proxyme's registration endpoint ({@code /realms/{realm}/proxyme/clients}, the one the realm's
 * metadata names) as public agents on {@link SelfRegistrationPolicy}'s terms. It changes nothing in Keycloak's own
 * registration endpoint, whose other policies (Trusted Hosts first) keep governing it. The factory keeps the per-address
 * count of registrations of this node.
 */
public class SelfRegistrationPolicyFactory extends AbstractClientRegistrationPolicyFactory {

    public static final String PROVIDER_ID = "proxyme-self-registration";

    private final RateLimit registrations = new RateLimit(SelfRegistrationPolicy.DEFAULT_REGISTRATIONS_PER_MINUTE);

    private static final ClientRegistrationPolicy NO_EFFECT_ON_KEYCLOAKS_ENDPOINT = new ClientRegistrationPolicy() {
        @Override
        public void beforeRegister(ClientRegistrationContext context) {}

        @Override
        public void afterRegister(ClientRegistrationContext context, ClientModel client) {}

        @Override
        public void beforeUpdate(ClientRegistrationContext context, ClientModel client) {}

        @Override
        public void afterUpdate(ClientRegistrationContext context, ClientModel client) {}

        @Override
        public void beforeView(ClientRegistrationProvider provider, ClientModel client) {}

        @Override
        public void beforeDelete(ClientRegistrationProvider provider, ClientModel client) {}
    };

    /** This node's count of registrations per address. */
    public static RateLimit registrations(KeycloakSession session) {
        return ((SelfRegistrationPolicyFactory) session.getKeycloakSessionFactory()
                        .getProviderFactory(ClientRegistrationPolicy.class, PROVIDER_ID))
                .registrations;
    }

    @Override
    public ClientRegistrationPolicy create(KeycloakSession session, ComponentModel model) {
        return NO_EFFECT_ON_KEYCLOAKS_ENDPOINT;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Proxyme: lets MCP and other OAuth clients register themselves (RFC 7591) at /realms/{realm}/proxyme/clients"
                + " as public agents limited to these scopes and portals, loopback or https redirect URIs and the"
                + " authorization code flow; shown to users as not verified. Keycloak's own registration endpoint is"
                + " not affected.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of(
                new ProviderConfigProperty(
                        SelfRegistrationPolicy.SCOPES,
                        "Scopes",
                        "The delegable scopes a self-registered agent may ask for.",
                        ProviderConfigProperty.MULTIVALUED_STRING_TYPE,
                        null),
                new ProviderConfigProperty(
                        SelfRegistrationPolicy.PORTALS,
                        "Portals",
                        "The portals (client ids) a self-registered agent may ask for; " + Agent.ANY_PORTAL
                                + " for any portal of the realm.",
                        ProviderConfigProperty.MULTIVALUED_STRING_TYPE,
                        null),
                new ProviderConfigProperty(
                        SelfRegistrationPolicy.REGISTRATIONS_PER_MINUTE,
                        "Registrations per minute and address",
                        "How many clients one network address may register a minute, on each node.",
                        ProviderConfigProperty.STRING_TYPE,
                        Integer.toString(SelfRegistrationPolicy.DEFAULT_REGISTRATIONS_PER_MINUTE)),
                new ProviderConfigProperty(
                        SelfRegistrationPolicy.MAX_AGENTS,
                        "Self-registered agents at most",
                        "How many self-registered agents the realm holds at once; further registrations are refused.",
                        ProviderConfigProperty.STRING_TYPE,
                        Integer.toString(SelfRegistrationPolicy.DEFAULT_MAX_AGENTS)),
                new ProviderConfigProperty(
                        SelfRegistrationPolicy.REMOVE_UNUSED_AFTER_SECONDS,
                        "Remove when unused for (seconds)",
                        "A self-registered agent with no active delegation and none approved or ended for this long is removed.",
                        ProviderConfigProperty.STRING_TYPE,
                        Long.toString(SelfRegistrationPolicy.DEFAULT_REMOVE_UNUSED_AFTER_SECONDS)));
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        if (!ClientRegistrationPolicyManager.getComponentTypeKey(RegistrationAuth.ANONYMOUS)
                .equals(model.getSubType())) {
            throw new ComponentValidationException(
                    "Proxyme's self-registration belongs to the anonymous access policies");
        }
        AgentRegistration registration = new AgentRegistration(session, realm);
        try {
            registration.checkScopes(SelfRegistrationPolicy.words(model, SelfRegistrationPolicy.SCOPES));
            List<String> portals = SelfRegistrationPolicy.words(model, SelfRegistrationPolicy.PORTALS);
            if (portals.isEmpty()) {
                throw new ComponentValidationException(
                        "Name at least one portal, or " + Agent.ANY_PORTAL + " for any portal");
            }
            List<String> named = portals.stream()
                    .filter(portal -> !Agent.ANY_PORTAL.equals(portal))
                    .toList();
            if (!named.isEmpty()) {
                registration.checkPortals(named);
            }
        } catch (ProxymeException refused) {
            throw new ComponentValidationException(refused.description());
        }
        for (String number : List.of(
                SelfRegistrationPolicy.REGISTRATIONS_PER_MINUTE,
                SelfRegistrationPolicy.MAX_AGENTS,
                SelfRegistrationPolicy.REMOVE_UNUSED_AFTER_SECONDS)) {
            String value = model.get(number);
            if (value != null && SelfRegistrationPolicy.number(value).isEmpty()) {
                throw new ComponentValidationException("'" + number + "' must be a whole number from 1");
            }
        }
    }

    /**
     * Narrowing the terms narrows the agents registered under them, whether the policy is edited or made anew (deleted
     * and created again, say); wider terms apply to the next registrations.
     */
    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        new SelfRegisteredAgents(session, realm).narrowTo(SelfRegistrationPolicy.from(newModel));
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        new SelfRegisteredAgents(session, realm).narrowTo(SelfRegistrationPolicy.from(model));
    }
}
