package dev.proxyme.oauth;

import java.util.Optional;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.token.TokenInterceptorException;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorContext;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.RefreshToken;

import dev.proxyme.Proxyme;
import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.ProxymeSettings;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.delegation.DelegationService;
import dev.proxyme.model.Actor;
import dev.proxyme.model.Agent;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Portals;
import dev.proxyme.model.Scopes;
import dev.proxyme.revocation.DelegationRevocation;
import dev.proxyme.token.DelegationClaims;
import dev.proxyme.token.DelegationTokenId;

/**
 * Makes every token Keycloak issues to an agent for a user a delegation token, at Keycloak's own token endpoint:
 * the code exchange, the device grant's poll and every refresh. The agent's client session names the delegation the
 * user approved ({@link Proxyme#DELEGATION_NOTE}); the token is issued only while that delegation is active, the agent
 * still registered for its portal and scopes, the user enabled. Then the access token is the delegation token of the
 * JSON operations: {@code aud} the portal only, {@code azp} and {@code act} the agent, the delegated scopes without
 * OpenID's or the user's roles, {@code delegation_id}, a lifetime within the agent's and the delegation's, and an id
 * that Keycloak's APIs refuse (grant {@value Proxyme#GRANT_SHORTCUT}). The refresh token does not outlive the
 * delegation; a public agent's is single-use (RFC 9700 section 4.14.2), and reusing one ends the delegation.
 *
 * <p>An agent's token for a user without a delegation is refused: were an administrator to disable the consent
 * action, agents' logins would otherwise yield the user's plain tokens.
 */
public class DelegationTokenPostProcessor implements TokenPostProcessor {

    private static final String USED_REFRESH_TOKEN = "proxyme:used-refresh-token:";

    private final KeycloakSession session;

    public DelegationTokenPostProcessor(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void process(TokenPostProcessorContext context) {
        ClientSessionContext clientSessionCtx = context.clientSessionCtx();
        AccessToken token = context.accessToken();
        if (clientSessionCtx == null || token == null || token.getId() == null) {
            return;
        }
        AuthenticatedClientSessionModel clientSession = clientSessionCtx.getClientSession();
        Optional<Agent> agent = Agent.of(clientSession.getClient());
        // Proxyme's own minter has already made its token a delegation token.
        if (agent.isEmpty() || DelegationTokenId.delegationIdOf(token.getId()).isPresent()) {
            return;
        }
        String grantType = clientSessionCtx.getAttribute(Constants.GRANT_TYPE, String.class);
        UserModel user = clientSession.getUserSession().getUser();
        if (OAuth2Constants.CLIENT_CREDENTIALS.equals(grantType)
                || user == null
                || user.getServiceAccountClientLink() != null) {
            return; // the agent's own service-account token speaks for no user
        }
        RealmModel realm = clientSession.getRealm();
        String delegationId = clientSession.getNote(Proxyme.DELEGATION_NOTE);
        if (delegationId == null) {
            throw refused(
                    realm,
                    grantType,
                    agent.get(),
                    user,
                    null,
                    OAuthErrorException.INVALID_GRANT,
                    "No delegation was approved for this agent in the user's session");
        }
        if (OAuth2Constants.REFRESH_TOKEN.equals(grantType)) {
            checkRefreshTokenOfThisDelegation(realm, agent.get(), user, delegationId, context.requestRefreshToken());
        }
        Delegation delegation;
        try {
            delegation = new DelegationService(session, realm).admitStandardFlowToken(agent.get(), user, delegationId);
        } catch (ProxymeException refusal) {
            throw refused(
                    realm,
                    grantType,
                    agent.get(),
                    user,
                    delegationId,
                    tokenEndpointError(refusal),
                    refusal.description());
        }
        checkResource(
                realm,
                grantType,
                agent.get(),
                user,
                delegation,
                clientSessionCtx.getAttribute(OAuth2Constants.RESOURCE, String.class));
        Scopes scopes = delegation
                .scopes()
                .intersection(Scopes.parse(token.getScope()))
                .intersection(agent.get().allowedScopes());
        if (scopes.isEmpty()) {
            throw refused(
                    realm,
                    grantType,
                    agent.get(),
                    user,
                    delegationId,
                    OAuthErrorException.INVALID_SCOPE,
                    "The delegation grants none of the requested scopes");
        }
        // Last: a refresh refused for another reason leaves the refresh token unused, so that the agent may retry.
        if (OAuth2Constants.REFRESH_TOKEN.equals(grantType)
                && clientSession.getClient().isPublicClient()) {
            checkRefreshTokenUnused(realm, agent.get(), user, delegation, context.requestRefreshToken());
        }
        makeDelegationToken(token, delegation, agent.get(), scopes);
        RefreshToken refreshToken = context.refreshToken();
        if (refreshToken != null) {
            // An offline token has no exp of its own (or 0): under a delegation, none lives past the delegation's end.
            Long refreshExp = refreshToken.getExp();
            refreshToken.exp(
                    refreshExp == null || refreshExp <= 0
                            ? delegation.lastTokenSecond()
                            : Math.min(refreshExp, delegation.lastTokenSecond()));
            refreshToken.getOtherClaims().put(Proxyme.CLAIM_DELEGATION_ID, delegation.id());
        }
        new DelegationService(session, realm)
                .recordIssuedToken(
                        delegation,
                        token.getId(),
                        token.getExp(),
                        token.getScope(),
                        Actor.agent(agent.get().clientId()));
    }

    private void makeDelegationToken(AccessToken token, Delegation delegation, Agent agent, Scopes scopes) {
        token.setScope(scopes.toString());
        token.audience(delegation.portalClientId());
        token.issuedFor(agent.clientId());
        long iat = token.getIat() == null ? Time.currentTime() : token.getIat();
        long longest = iat + ProxymeSettings.current().maxTokenLifetimeSeconds();
        token.exp(Math.min(
                Math.min(token.getExp() == null ? longest : token.getExp(), longest), delegation.lastTokenSecond()));
        token.id(DelegationTokenId.retag(token.getId(), delegation.id()));
        DelegationClaims.withoutUsersRoles(token);
        UserModel serviceAccount =
                agent.client().isPublicClient() ? null : session.users().getServiceAccount(agent.client());
        DelegationClaims.apply(
                token,
                delegation.id(),
                delegation.portalClientId(),
                serviceAccount == null ? null : serviceAccount.getId(),
                agent.clientId());
    }

    /**
     * A refresh token renews the delegation it was issued under and no other. A step-up in the same Keycloak session
     * replaces the delegation of the agent's client session; the replaced delegation's refresh tokens must stop with it.
     */
    private void checkRefreshTokenOfThisDelegation(
            RealmModel realm, Agent agent, UserModel user, String delegationId, RefreshToken used) {
        Object issuedUnder = used == null ? null : used.getOtherClaims().get(Proxyme.CLAIM_DELEGATION_ID);
        if (!delegationId.equals(issuedUnder)) {
            throw refused(
                    realm,
                    OAuth2Constants.REFRESH_TOKEN,
                    agent,
                    user,
                    issuedUnder == null ? null : issuedUnder.toString(),
                    OAuthErrorException.INVALID_GRANT,
                    "The delegation this refresh token was issued under has ended");
        }
    }

    /** RFC 8707 section 2.2: a resource on the token request must be the delegation's portal. */
    private void checkResource(
            RealmModel realm, String grantType, Agent agent, UserModel user, Delegation delegation, String resource) {
        if (resource == null) {
            return;
        }
        boolean samePortal = Portals.byResource(realm, resource)
                .filter(portal -> portal.getClientId().equals(delegation.portalClientId()))
                .isPresent();
        if (!samePortal) {
            throw refused(
                    realm,
                    grantType,
                    agent,
                    user,
                    delegation.id(),
                    OAuthErrorException.INVALID_TARGET,
                    "The resource is not the portal the user delegated access to");
        }
    }

    /**
     * A public agent's refresh token is good for one refresh. The marker is set at once in the cluster's single-use
     * store, so that of two concurrent refreshes with one token only one succeeds; the second is a replay (a stolen
     * token, or a client that lost track) and ends the delegation, in a transaction of its own: the refusal rolls the
     * request's back.
     */
    private void checkRefreshTokenUnused(
            RealmModel realm, Agent agent, UserModel user, Delegation delegation, RefreshToken used) {
        if (used == null || used.getId() == null) {
            return;
        }
        long lifespan =
                Math.max(60, (used.getExp() == null ? Time.currentTime() : used.getExp()) - Time.currentTime() + 60);
        if (session.singleUseObjects().putIfAbsent(USED_REFRESH_TOKEN + used.getId(), lifespan)) {
            return;
        }
        String realmId = realm.getId();
        KeycloakModelUtils.runJobInTransaction(
                session.getKeycloakSessionFactory(),
                session.getContext(),
                reuse -> new DelegationRevocation(reuse, reuse.realms().getRealm(realmId))
                        .revoke(delegation.id(), Actor.SYSTEM, "refresh_token_reused"));
        throw refused(
                realm,
                OAuth2Constants.REFRESH_TOKEN,
                agent,
                user,
                delegation.id(),
                OAuthErrorException.INVALID_GRANT,
                "The refresh token was already used: the delegation has been ended");
    }

    /** The refusal is audited (its own transaction: the request's rolls back), then Keycloak answers it in RFC 6749's shape. */
    private TokenInterceptorException refused(
            RealmModel realm,
            String grantType,
            Agent agent,
            UserModel user,
            String delegationId,
            String error,
            String description) {
        new AuditLog(session, realm)
                .recordRefusal(
                        eventTypeOf(grantType),
                        AuditRecord.of(AuditAction.REQUEST_REFUSED, Actor.agent(agent.clientId()))
                                .delegation(delegationId, user.getId(), agent.clientId(), null, null)
                                .detail(error + ": " + description),
                        error);
        return new TokenInterceptorException(error, description);
    }

    private static EventType eventTypeOf(String grantType) {
        if (OAuth2Constants.AUTHORIZATION_CODE.equals(grantType)) {
            return EventType.CODE_TO_TOKEN;
        }
        if (OAuth2Constants.DEVICE_CODE_GRANT_TYPE.equals(grantType)) {
            return EventType.OAUTH2_DEVICE_CODE_TO_TOKEN;
        }
        return EventType.REFRESH_TOKEN;
    }

    /** RFC 6749 section 5.2: an ended or foreign delegation makes the grant invalid. */
    private static String tokenEndpointError(ProxymeException refusal) {
        return switch (refusal.error()) {
            case OAuthErrorException.INVALID_SCOPE,
                    OAuthErrorException.INVALID_TARGET,
                    OAuthErrorException.SLOW_DOWN,
                    ProxymeErrors.INVALID_DPOP_PROOF -> refusal.error();
            default -> OAuthErrorException.INVALID_GRANT;
        };
    }
}
