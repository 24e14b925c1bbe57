package dev.proxyme.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.keycloak.OAuthErrorException;
import dev.proxyme.ProxymeException;
import dev.proxyme.ProxymeSettings;
import dev.proxyme.model.Agent;
import dev.proxyme.model.Portals;
import dev.proxyme.model.Scopes;
import dev.proxyme.token.DelegationClaimsMapper;
import org.keycloak.crypto.KeyUse;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.protocol.oidc.OIDCConfigAttributes;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;

import static dev.proxyme.ProxymeException.printable;

/** Registers agents as Keycloak clients that can do nothing but authenticate and receive delegation tokens. */
public class AgentRegistration {

    private static final int MAX_NAME_LENGTH = 255;
    /** Keycloak 25+ carries {@code sub} in the "basic" scope; it is the only default scope an agent gets. */
    private static final String BASIC_SCOPE = "basic";

    private final KeycloakSession session;
    private final RealmModel realm;

    public AgentRegistration(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** The new agent, its client secret (shown once, never stored by Proxyme) and the algorithm its tokens are signed with. */
    public record Registered(Agent agent, String clientSecret, String tokenSigningAlg) {
    }

    /** Algorithms an agent's tokens may be signed with: asymmetric, so that anyone can verify them with the realm's JWKS. */
    private static final Set<String> SIGNING_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA");

    /** Registers an agent for these scopes and portals ({@code portals} null: any portal of the realm). */
    public Registered register(String requestedName, List<String> requestedScopes, List<String> requestedPortals,
                               Long requestedTokenLifetime, String requestedSigningAlg) {
        Scopes scopes = checkScopes(requestedScopes);
        Set<String> portals = checkPortals(requestedPortals);
        int tokenLifetime = checkTokenLifetime(requestedTokenLifetime);
        String name = checkName(requestedName);
        String signingAlg = checkSigningAlg(requestedSigningAlg);

        ClientRepresentation rep = agentClient(name, scopes, portals, tokenLifetime);
        if (signingAlg != null) {
            rep.getAttributes().put(OIDCConfigAttributes.ACCESS_TOKEN_SIGNED_RESPONSE_ALG, signingAlg);
        }
        ClientModel client = ClientManager.createClient(session, realm, rep);
        new ClientManager(new RealmManager(session)).enableServiceAccount(client);
        String secret = KeycloakModelUtils.generateSecret(client);
        Agent agent = Agent.of(client).orElseThrow();
        return new Registered(agent, secret, signingAlg != null ? signingAlg : realm.getDefaultSignatureAlgorithm());
    }

    private ClientRepresentation agentClient(String name, Scopes scopes, Set<String> portals, int tokenLifetime) {
        ClientRepresentation rep = new ClientRepresentation();
        rep.setClientId("agent-" + UUID.randomUUID().toString().substring(0, 13));
        rep.setName(name);
        rep.setDescription("AI agent registered through Proxyme");
        rep.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        rep.setEnabled(true);
        rep.setPublicClient(false);
        rep.setBearerOnly(false);
        rep.setClientAuthenticatorType("client-secret");
        rep.setServiceAccountsEnabled(true);
        // An agent never logs a user in itself: users consent, agents get delegation tokens.
        rep.setStandardFlowEnabled(false);
        rep.setImplicitFlowEnabled(false);
        rep.setDirectAccessGrantsEnabled(false);
        // No role of a delegating user (an admin, say) may reach a token minted for an agent.
        rep.setFullScopeAllowed(false);
        rep.setConsentRequired(false);
        rep.setDefaultClientScopes(realmHasScope(BASIC_SCOPE) ? List.of(BASIC_SCOPE) : List.of());
        rep.setOptionalClientScopes(new ArrayList<>(scopes.names()));

        Map<String, String> attributes = new HashMap<>();
        attributes.put(Agent.MARKER_ATTRIBUTE, "true");
        attributes.put(Agent.PORTALS_ATTRIBUTE, portals.isEmpty() ? Agent.ANY_PORTAL : String.join(" ", portals));
        attributes.put(Agent.PORTALS_EXPLICIT_ATTRIBUTE, "true");
        attributes.put(OIDCConfigAttributes.ACCESS_TOKEN_LIFESPAN, Integer.toString(tokenLifetime));
        rep.setAttributes(attributes);

        ProtocolMapperRepresentation mapper = ModelToRepresentation.toRepresentation(DelegationClaimsMapper.model());
        rep.setProtocolMappers(List.of(mapper));
        return rep;
    }

    private Scopes checkScopes(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_SCOPE, "At least one scope is required");
        }
        Scopes scopes = Scopes.of(requested);
        for (String scope : scopes.names()) {
            if (!Scopes.isValidName(scope) || !realmHasScope(scope) || BASIC_SCOPE.equals(scope)) {
                throw ProxymeException.badRequest(OAuthErrorException.INVALID_SCOPE, "Unknown scope: " + printable(scope));
            }
        }
        return scopes;
    }

    private Set<String> checkPortals(List<String> requested) {
        Set<String> portals = new LinkedHashSet<>();
        if (requested == null) {
            return portals;
        }
        if (requested.isEmpty()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_TARGET, "'portals' must name at least one portal, or be omitted for any portal");
        }
        for (String portal : requested) {
            if (Portals.find(realm, portal).isEmpty()) {
                throw ProxymeException.badRequest(OAuthErrorException.INVALID_TARGET, "Unknown portal: " + printable(portal));
            }
            portals.add(portal);
        }
        return portals;
    }

    private static int checkTokenLifetime(Long requested) {
        ProxymeSettings settings = ProxymeSettings.current();
        if (requested == null) {
            return Math.min(settings.maxTokenLifetimeSeconds(), Math.max(settings.minTokenLifetimeSeconds(), Agent.DEFAULT_TOKEN_LIFETIME_SECONDS));
        }
        if (requested < settings.minTokenLifetimeSeconds() || requested > settings.maxTokenLifetimeSeconds()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "'token_lifetime_seconds' must be between "
                    + settings.minTokenLifetimeSeconds() + " and " + settings.maxTokenLifetimeSeconds());
        }
        return requested.intValue();
    }

    /** An asymmetric algorithm the realm has an active signing key for (ES256: its {@code ecdsa-generated} key, say). */
    private String checkSigningAlg(String algorithm) {
        if (algorithm == null) {
            return null;
        }
        if (!SIGNING_ALGORITHMS.contains(algorithm)) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST,
                    "'token_signing_alg' must be one of " + String.join(", ", new java.util.TreeSet<>(SIGNING_ALGORITHMS)));
        }
        // Not getActiveKey: for some algorithms it creates a fallback key where the realm has none.
        if (session.keys().getKeysStream(realm, KeyUse.SIG, algorithm).noneMatch(key -> key.getStatus().isActive())) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST,
                    "The realm has no active signing key for " + algorithm);
        }
        return algorithm;
    }

    private static String checkName(String name) {
        if (name == null) {
            return null;
        }
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST,
                    "'name' must be 1 to " + MAX_NAME_LENGTH + " printable characters");
        }
        return name.strip();
    }

    private boolean realmHasScope(String name) {
        return realm.getClientScopesStream()
                .anyMatch(scope -> name.equals(scope.getName()) && OIDCLoginProtocol.LOGIN_PROTOCOL.equals(scope.getProtocol()));
    }
}
