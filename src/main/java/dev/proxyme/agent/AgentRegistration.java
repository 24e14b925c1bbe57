package dev.proxyme.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.keycloak.OAuthErrorException;
import org.keycloak.crypto.KeyUse;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OAuth2DeviceConfig;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.protocol.oidc.OIDCConfigAttributes;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;

import dev.proxyme.ProxymeException;
import dev.proxyme.ProxymeNode;
import dev.proxyme.ProxymeSettings;
import dev.proxyme.clients.Agent;
import dev.proxyme.clients.Portals;
import dev.proxyme.clients.RedirectUris;
import dev.proxyme.model.DisplayText;
import dev.proxyme.model.Scopes;
import dev.proxyme.oauth.DelegationClaimsMapper;

import static dev.proxyme.ProxymeException.printable;

/** Registers agents as Keycloak clients that can do nothing but authenticate and receive delegation tokens. */
public class AgentRegistration {

    private static final int MAX_NAME_LENGTH = 255;
    /** Keycloak 25+ carries {@code sub} in the "basic" scope; it is the only default scope an agent gets. */
    private static final String BASIC_SCOPE = "basic";

    /** RFC 7591 section 3.2.2's error code for metadata other than redirect URIs. */
    static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";

    private final KeycloakSession session;
    private final RealmModel realm;

    public AgentRegistration(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** The new agent, its client secret (shown once, never stored by Proxyme) and the algorithm its tokens are signed with. */
    public record Registered(
            Agent agent,
            String clientSecret,
            String tokenSigningAlg,
            List<String> redirectUris,
            String tokenEndpointAuthMethod) {}

    /** Algorithms an agent's tokens may be signed with: asymmetric, so that anyone can verify them with the realm's JWKS. */
    public static final Set<String> SIGNING_ALGORITHMS =
            Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

    /** RFC 7591 section 2 {@code token_endpoint_auth_method} values an agent may have. */
    public static final String CLIENT_SECRET_BASIC = "client_secret_basic";

    public static final String CLIENT_SECRET_POST = "client_secret_post";
    public static final String NONE = "none";

    /** Registers an agent: a confidential client by default, a public one ({@value #NONE}) for apps that keep no secret. */
    public Registered register(RegistrationRequest request) {
        return register(request, CLIENT_ID_PREFIX);
    }

    /** The client ids Proxyme gives agents it registers. */
    static final String CLIENT_ID_PREFIX = "agent-";

    Registered register(RegistrationRequest request, String clientIdPrefix) {
        Scopes scopes = checkScopes(request.scopes());
        Set<String> portals = checkPortals(request.portals());
        int tokenLifetime = checkTokenLifetime(request.tokenLifetimeSeconds());
        String name = checkName("name", request.name(), MAX_NAME_LENGTH, OAuthErrorException.INVALID_REQUEST);
        String signingAlg = checkSigningAlg(request.tokenSigningAlg());
        List<String> redirectUris = RedirectUris.checkRegistered(request.redirectUris());
        String authMethod = checkAuthMethod(request.tokenEndpointAuthMethod());

        ClientRepresentation rep = agentClient(clientIdPrefix, name, scopes, portals, tokenLifetime);
        if (signingAlg != null) {
            rep.getAttributes().put(OIDCConfigAttributes.ACCESS_TOKEN_SIGNED_RESPONSE_ALG, signingAlg);
        }
        if (!redirectUris.isEmpty()) {
            rep.setStandardFlowEnabled(true);
            rep.setRedirectUris(redirectUris);
        }
        boolean publicClient = NONE.equals(authMethod);
        rep.setPublicClient(publicClient);
        // A public agent has no secret, hence no service account, and cannot use Proxyme's JSON operations.
        rep.setServiceAccountsEnabled(!publicClient);
        ClientModel client = ClientManager.createClient(session, realm, rep);
        String secret = null;
        if (!publicClient) {
            new ClientManager(new RealmManager(session)).enableServiceAccount(client);
            secret = KeycloakModelUtils.generateSecret(client);
        }
        Agent.holdOpenIdConnectScopes(realm, client);
        Agent agent = Agent.of(client).orElseThrow();
        return new Registered(
                agent,
                secret,
                signingAlg != null ? signingAlg : realm.getDefaultSignatureAlgorithm(),
                redirectUris,
                authMethod);
    }

    private ClientRepresentation agentClient(
            String clientIdPrefix, String name, Scopes scopes, Set<String> portals, int tokenLifetime) {
        ClientRepresentation rep = new ClientRepresentation();
        rep.setClientId(clientIdPrefix + UUID.randomUUID().toString().substring(0, 13));
        rep.setName(name);
        rep.setDescription("AI agent registered through Proxyme");
        shapeAsAgent(rep, scopes, portals, tokenLifetime, realmHasScope(BASIC_SCOPE));
        return rep;
    }

    /**
     * What makes a client representation an agent's, whoever registers it (an administrator, or a client metadata
     * document the realm allows): confidential until made public, no flow but the device grant until given redirect
     * URIs, no user's roles, its delegable scopes optional, its portals, its token lifetime, Proxyme's claims.
     */
    public static void shapeAsAgent(
            ClientRepresentation rep, Scopes scopes, Set<String> portals, int tokenLifetime, boolean realmHasBasic) {
        rep.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        rep.setEnabled(true);
        rep.setPublicClient(false);
        rep.setBearerOnly(false);
        rep.setClientAuthenticatorType("client-secret");
        rep.setServiceAccountsEnabled(true);
        // The authorization code flow only with redirect URIs; the device grant always: the user approves on
        // Proxyme's page either way, and gets a delegation (RFC 8628, RFC 6749 section 4.1). PKCE S256 is required
        // by Proxyme's client policy: Keycloak's client attribute for it would demand PKCE of the device grant too.
        rep.setStandardFlowEnabled(false);
        rep.setImplicitFlowEnabled(false);
        rep.setDirectAccessGrantsEnabled(false);
        // No role of a delegating user (an admin, say) may reach a token minted for an agent.
        rep.setFullScopeAllowed(false);
        rep.setConsentRequired(false);
        rep.setDefaultClientScopes(realmHasBasic ? List.of(BASIC_SCOPE) : List.of());
        rep.setOptionalClientScopes(new ArrayList<>(scopes.names()));

        Map<String, String> attributes =
                rep.getAttributes() == null ? new HashMap<>() : new HashMap<>(rep.getAttributes());
        attributes.put(Agent.MARKER_ATTRIBUTE, "true");
        attributes.put(Agent.PORTALS_ATTRIBUTE, portals.isEmpty() ? Agent.ANY_PORTAL : String.join(" ", portals));
        attributes.put(Agent.PORTALS_EXPLICIT_ATTRIBUTE, "true");
        attributes.put(OIDCConfigAttributes.ACCESS_TOKEN_LIFESPAN, Integer.toString(tokenLifetime));
        attributes.put(OAuth2DeviceConfig.OAUTH2_DEVICE_AUTHORIZATION_GRANT_ENABLED, "true");
        rep.setAttributes(attributes);

        ProtocolMapperRepresentation mapper = ModelToRepresentation.toRepresentation(DelegationClaimsMapper.model());
        rep.setProtocolMappers(List.of(mapper));
    }

    public Scopes checkScopes(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_SCOPE, "At least one scope is required");
        }
        Scopes scopes = Scopes.of(requested);
        for (String scope : scopes.names()) {
            if (Agent.OPENID_CONNECT_SCOPES.contains(scope)) {
                throw ProxymeException.badRequest(
                        OAuthErrorException.INVALID_SCOPE,
                        "Not a delegable scope: " + scope + " is OpenID Connect's, which an agent may always ask for");
            }
            if (!Scopes.isValidName(scope) || !realmHasScope(scope)) {
                throw ProxymeException.badRequest(
                        OAuthErrorException.INVALID_SCOPE, "Unknown scope: " + printable(scope));
            }
        }
        return scopes;
    }

    public Set<String> checkPortals(List<String> requested) {
        Set<String> portals = new LinkedHashSet<>();
        if (requested == null) {
            return portals;
        }
        if (requested.isEmpty()) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_TARGET,
                    "'portals' must name at least one portal, or be omitted for any portal");
        }
        for (String portal : requested) {
            if (Portals.find(realm, portal).isEmpty()) {
                throw ProxymeException.badRequest(
                        OAuthErrorException.INVALID_TARGET, "Unknown portal: " + printable(portal));
            }
            portals.add(portal);
        }
        return portals;
    }

    /** {@value #NONE}: a public client, as a command-line or desktop agent that cannot keep a secret (RFC 8252). */
    private static String checkAuthMethod(String requested) {
        if (requested == null) {
            return CLIENT_SECRET_BASIC;
        }
        if (!Set.of(CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, NONE).contains(requested)) {
            throw ProxymeException.badRequest(
                    INVALID_CLIENT_METADATA,
                    "'token_endpoint_auth_method' must be " + CLIENT_SECRET_BASIC + ", " + CLIENT_SECRET_POST + " or "
                            + NONE);
        }
        return requested;
    }

    public int checkTokenLifetime(Long requested) {
        ProxymeSettings settings = ProxymeNode.of(session).settings();
        if (requested == null) {
            return Math.min(
                    settings.maxTokenLifetimeSeconds(),
                    Math.max(settings.minTokenLifetimeSeconds(), Agent.DEFAULT_TOKEN_LIFETIME_SECONDS));
        }
        if (requested < settings.minTokenLifetimeSeconds() || requested > settings.maxTokenLifetimeSeconds()) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST,
                    "'token_lifetime_seconds' must be between " + settings.minTokenLifetimeSeconds() + " and "
                            + settings.maxTokenLifetimeSeconds());
        }
        return requested.intValue();
    }

    /** An asymmetric algorithm the realm has an active signing key for (ES256: its {@code ecdsa-generated} key, say). */
    public String checkSigningAlg(String algorithm) {
        if (algorithm == null) {
            return null;
        }
        if (!SIGNING_ALGORITHMS.contains(algorithm)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST,
                    "'token_signing_alg' must be one of "
                            + String.join(", ", new java.util.TreeSet<>(SIGNING_ALGORITHMS)));
        }
        // Not getActiveKey: for some algorithms it creates a fallback key where the realm has none.
        if (session.keys()
                .getKeysStream(realm, KeyUse.SIG, algorithm)
                .noneMatch(key -> key.getStatus().isActive())) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST, "The realm has no active signing key for " + algorithm);
        }
        return algorithm;
    }

    /** A name shown to users as the program's: printable, at most {@code maxLength} characters; null if none. */
    static String checkName(String field, String name, int maxLength, String error) {
        if (name == null) {
            return null;
        }
        if (name.isBlank() || name.length() > maxLength || !DisplayText.isPlain(name)) {
            throw ProxymeException.badRequest(
                    error, "'" + field + "' must be 1 to " + maxLength + " printable characters");
        }
        return name.strip();
    }

    private boolean realmHasScope(String name) {
        return realm.getClientScopesStream()
                .anyMatch(scope ->
                        name.equals(scope.getName()) && OIDCLoginProtocol.LOGIN_PROTOCOL.equals(scope.getProtocol()));
    }
}
