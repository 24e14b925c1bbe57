package dev.proxyme.agent;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OAuth2DeviceConfig;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;

import dev.proxyme.ClusterLock;
import dev.proxyme.ProxymeException;
import dev.proxyme.clients.Agent;
import dev.proxyme.clients.RedirectUris;
import dev.proxyme.model.Scopes;
import dev.proxyme.model.SpaceSeparated;
import dev.proxyme.sessions.KeycloakConsentMirror;
import dev.proxyme.store.DelegationProvider;

/**
 * Agents that registered themselves under a realm's {@link SelfRegistrationPolicy}: public clients of the
 * authorization code flow with loopback or https redirect URIs, the policy's scopes and portals, no device grant
 * (it returns nowhere, so anyone could start one under any name), and removed once unused for the policy's time.
 */
public class SelfRegisteredAgents {

    /** Shorter than an administrator's names: it is shown on the consent page as the program's own claim. */
    static final int MAX_NAME_LENGTH = 100;

    /**
     * Their client ids' start: Keycloak searches clients by a few attributes only (an administrator's setting), so they
     * are found by client id, and the consent page's client id line says what they are too.
     */
    static final String CLIENT_ID_PREFIX = AgentRegistration.CLIENT_ID_PREFIX + "unverified-";

    /** The realm's lock: held for one count and one client's creation, well under a second. */
    private static final String LOCK = "proxyme-self-registration::";

    private final KeycloakSession session;
    private final RealmModel realm;

    public SelfRegisteredAgents(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** What a registration made: the client information its response gives back (RFC 7591 section 3.2.1). */
    public record Registration(
            String clientId, String clientName, List<String> redirectUris, Scopes scopes, Set<String> portals) {}

    /**
     * Registers a client on the policy's terms, or refuses it with RFC 7591's errors. The realm's count and the new
     * client are one step under a cluster-wide lock of the realm's, committed before the lock is let go, so that
     * registrations at once, on any node, never hold more agents than the policy allows.
     */
    public Registration register(SelfRegistrationRequest request, SelfRegistrationPolicy policy) {
        checkGrantTypes(request.grantTypes());
        checkResponseTypes(request.responseTypes());
        checkRedirectUrisGiven(request.redirectUris());
        String name = AgentRegistration.checkName(
                "client_name", request.clientName(), MAX_NAME_LENGTH, AgentRegistration.INVALID_CLIENT_METADATA);
        String realmId = realm.getId();
        return ClusterLock.callExclusively(session, LOCK + realmId, () -> createLocked(realmId, name, request, policy))
                .orElseThrow(SelfRegisteredAgents::busy);
    }

    private Registration createLocked(
            String realmId, String name, SelfRegistrationRequest request, SelfRegistrationPolicy policy) {
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), locked -> {
            RealmModel lockedRealm = locked.realms().getRealm(realmId);
            locked.getContext().setRealm(lockedRealm);
            return new SelfRegisteredAgents(locked, lockedRealm).create(name, request, policy);
        });
    }

    private Registration create(String name, SelfRegistrationRequest request, SelfRegistrationPolicy policy) {
        checkRoom(policy);
        AgentRegistration.Registered registered = new AgentRegistration(session, realm)
                .register(
                        new RegistrationRequest(
                                name,
                                policy.scopes(),
                                policy.anyPortal() ? null : policy.portals(),
                                null,
                                null,
                                request.redirectUris(),
                                AgentRegistration.NONE),
                        CLIENT_ID_PREFIX);
        ClientModel client = registered.agent().client();
        client.setDescription("AI agent that registered itself (not verified)");
        client.setAttribute(Agent.SELF_REGISTERED_ATTRIBUTE, "true");
        client.setAttribute(Agent.SELF_REGISTERED_AT_ATTRIBUTE, Long.toString(Time.currentTime()));
        client.setAttribute(OAuth2DeviceConfig.OAUTH2_DEVICE_AUTHORIZATION_GRANT_ENABLED, "false");
        return new Registration(
                client.getClientId(),
                client.getName(),
                registered.redirectUris(),
                registered.agent().allowedScopes(),
                registered.agent().allowedPortals());
    }

    private static ProxymeException busy() {
        return ProxymeException.tooManyRequests("Many clients are registering in this realm: retry in 1 s", 1);
    }

    /** Takes from each self-registered agent what the policy no longer allows. */
    public void narrowTo(SelfRegistrationPolicy policy) {
        for (ClientModel client : selfRegistered()) {
            Set<String> allowed = new HashSet<>(policy.scopes());
            client.getClientScopes(false).values().stream()
                    .filter(scope -> !Agent.OPENID_CONNECT_SCOPES.contains(scope.getName()))
                    .filter(scope -> !allowed.contains(scope.getName()))
                    .toList()
                    .forEach(client::removeClientScope);
            if (!policy.anyPortal()) {
                Set<String> portals =
                        new LinkedHashSet<>(SpaceSeparated.words(client.getAttribute(Agent.PORTALS_ATTRIBUTE)));
                if (portals.remove(Agent.ANY_PORTAL)) {
                    portals.addAll(policy.portals());
                }
                portals.retainAll(policy.portals());
                client.setAttribute(Agent.PORTALS_ATTRIBUTE, String.join(" ", portals));
            }
            KeycloakConsentMirror.followAgentOnCommit(session, realm, client.getClientId());
        }
    }

    /**
     * Removes the self-registered agents that have had no active delegation and none approved or ended for the policy's time
     * (the default time once self-registration is off). Returns how many.
     */
    public int removeUnused(long nowMillis) {
        long unusedFor = SelfRegistrationPolicy.of(realm)
                        .map(SelfRegistrationPolicy::removeUnusedAfterSeconds)
                        .orElse(SelfRegistrationPolicy.DEFAULT_REMOVE_UNUSED_AFTER_SECONDS)
                * 1000L;
        long since = nowMillis - unusedFor;
        DelegationProvider delegations = session.getProvider(DelegationProvider.class);
        int removed = 0;
        for (ClientModel client : selfRegistered()) {
            if (registeredAtMillis(client) > since || delegations.inUseSince(realm, client.getClientId(), since)) {
                continue;
            }
            // The adapter Keycloak's own deletion uses: a search's lazy one re-reads the client once it is removed.
            new ClientManager(new RealmManager(session)).removeClient(realm, realm.getClientById(client.getId()));
            removed++;
        }
        return removed;
    }

    private List<ClientModel> selfRegistered() {
        // Keycloak's search matches a part of the client id in any case: the attribute says which are Proxyme's.
        return realm.searchClientByClientIdStream(CLIENT_ID_PREFIX, null, null)
                .filter(client -> client.getClientId().startsWith(CLIENT_ID_PREFIX))
                .filter(client -> Boolean.parseBoolean(client.getAttribute(Agent.SELF_REGISTERED_ATTRIBUTE)))
                .toList();
    }

    private static long registeredAtMillis(ClientModel client) {
        try {
            return Long.parseLong(client.getAttribute(Agent.SELF_REGISTERED_AT_ATTRIBUTE)) * 1000L;
        } catch (NumberFormatException unknown) {
            return 0;
        }
    }

    private void checkRoom(SelfRegistrationPolicy policy) {
        if (selfRegistered().size() >= policy.maxAgents()) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED,
                    "This realm holds as many self-registered clients as it allows; ask its administrator for a client"
                            + " id, or retry once unused ones are removed");
        }
    }

    private static void checkGrantTypes(List<String> grantTypes) {
        if (grantTypes != null && !grantTypes.contains(OAuth2Constants.AUTHORIZATION_CODE)) {
            throw ProxymeException.badRequest(
                    AgentRegistration.INVALID_CLIENT_METADATA,
                    "A self-registered client uses the authorization code flow: 'grant_types' must include "
                            + OAuth2Constants.AUTHORIZATION_CODE);
        }
    }

    private static void checkResponseTypes(List<String> responseTypes) {
        if (responseTypes != null && !responseTypes.contains(OAuth2Constants.CODE)) {
            throw ProxymeException.badRequest(
                    AgentRegistration.INVALID_CLIENT_METADATA,
                    "A self-registered client uses the authorization code flow: 'response_types' must include "
                            + OAuth2Constants.CODE);
        }
    }

    private static void checkRedirectUrisGiven(List<String> redirectUris) {
        if (redirectUris == null) {
            throw ProxymeException.badRequest(RedirectUris.INVALID_REDIRECT_URI, "'redirect_uris' is required");
        }
    }
}
