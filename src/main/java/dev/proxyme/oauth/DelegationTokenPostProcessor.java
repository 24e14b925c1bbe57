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
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorContext;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.RefreshToken;

import dev.proxyme.Proxyme;
import dev.proxyme.ProxymeException;
import dev.proxyme.ProxymeNode;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.clients.Agent;
import dev.proxyme.clients.Portals;
import dev.proxyme.delegation.TokenIssuance;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Scopes;
import dev.proxyme.revocation.DelegationRevocation;
import dev.proxyme.sessions.AgentClientSession;
import dev.proxyme.token.DelegationClaims;
import dev.proxyme.token.DelegationTokenId;
import dev.proxyme.web.Refusals;

/**
 * Makes every token Keycloak issues to an agent for a user a delegation token, at Keycloak's own token endpoint:
 * the code exchange, the device grant's poll and every refresh. The agent's client session names the delegation the
 * user approved ({@link AgentClientSession}); the token is issued only while that delegation is active, the agent
 * still registered for its portal and scopes, the user enabled. Then the access token is the delegation token of the
 * JSON operations ({@link DelegationClaims#shape}). The refresh token does not outlive the delegation; a public agent's
 * is single-use (RFC 9700 section 4.14.2), and reusing one ends the delegation.
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
        new Issuance(clientSession.getRealm(), grantType, agent.get(), user).process(context, clientSession);
    }

    /** One token Keycloak is issuing to an agent for a user: what every step and every refusal of it concerns. */
    private final class Issuance {

        private final RealmModel realm;
        private final String grantType;
        private final Agent agent;
        private final UserModel user;

        Issuance(RealmModel realm, String grantType, Agent agent, UserModel user) {
            this.realm = realm;
            this.grantType = grantType;
            this.agent = agent;
            this.user = user;
        }

        /**
         * What the token is asked to carry; a refresh that names no delegable scope (an MCP client sends the scope it
         * first asked for, {@code openid offline_access} say) asks for the delegation, as one without {@code scope}.
         */
        private static Scopes requestedDelegableScopes(AccessToken token, Delegation delegation) {
            Scopes requested = Agent.delegable(Scopes.parse(token.getScope()));
            return requested.isEmpty() ? delegation.scopes() : requested;
        }

        void process(TokenPostProcessorContext context, AuthenticatedClientSessionModel clientSession) {
            String delegationId = AgentClientSession.delegationOf(clientSession);
            if (delegationId == null) {
                throw refused(
                        null,
                        ProxymeException.forbidden(
                                OAuthErrorException.INVALID_GRANT,
                                "No delegation was approved for this agent in the user's session"));
            }
            if (isRefresh()) {
                checkRefreshTokenOfThisDelegation(delegationId, context.requestRefreshToken());
            }
            Delegation delegation;
            try {
                delegation = new TokenIssuance(session, realm).admitStandardFlowToken(agent, user, delegationId);
            } catch (ProxymeException refusal) {
                throw refused(delegationId, refusal);
            }
            checkResource(delegation, context.clientSessionCtx().getAttribute(OAuth2Constants.RESOURCE, String.class));
            AccessToken token = context.accessToken();
            Scopes scopes = delegation
                    .scopes()
                    .intersection(requestedDelegableScopes(token, delegation))
                    .intersection(agent.allowedScopes());
            if (scopes.isEmpty()) {
                throw refused(
                        delegationId,
                        ProxymeException.forbidden(
                                OAuthErrorException.INVALID_SCOPE,
                                "The delegation grants none of the requested scopes"));
            }
            // Last: a refresh refused for another reason leaves the refresh token unused, so that the agent may retry.
            if (isRefresh() && agent.client().isPublicClient()) {
                checkRefreshTokenUnused(delegation, context.requestRefreshToken());
            }
            String serviceAccount = agent.client().isPublicClient()
                    ? null
                    : Optional.ofNullable(session.users().getServiceAccount(agent.client()))
                            .map(UserModel::getId)
                            .orElse(null);
            DelegationClaims.shape(
                    token,
                    delegation,
                    agent.clientId(),
                    serviceAccount,
                    scopes,
                    ProxymeNode.of(session).settings());
            RefreshToken refreshToken = context.refreshToken();
            if (refreshToken != null) {
                // An offline token has no exp of its own (or 0): under a delegation, none lives past its end.
                Long refreshExp = refreshToken.getExp();
                refreshToken.exp(
                        refreshExp == null || refreshExp <= 0
                                ? delegation.lastTokenSecond()
                                : Math.min(refreshExp, delegation.lastTokenSecond()));
                refreshToken.getOtherClaims().put(Proxyme.CLAIM_DELEGATION_ID, delegation.id());
            }
            new TokenIssuance(session, realm)
                    .recordIssuedToken(
                            delegation, token.getId(), token.getExp(), token.getScope(), Actor.agent(agent.clientId()));
        }

        private boolean isRefresh() {
            return OAuth2Constants.REFRESH_TOKEN.equals(grantType);
        }

        /**
         * A refresh token renews the delegation it was issued under and no other. A step-up in the same Keycloak
         * session replaces the delegation of the agent's client session; the replaced one's refresh tokens stop with it.
         */
        private void checkRefreshTokenOfThisDelegation(String delegationId, RefreshToken used) {
            Object issuedUnder = used == null ? null : used.getOtherClaims().get(Proxyme.CLAIM_DELEGATION_ID);
            if (!delegationId.equals(issuedUnder)) {
                throw refused(
                        issuedUnder == null ? null : issuedUnder.toString(),
                        ProxymeException.forbidden(
                                OAuthErrorException.INVALID_GRANT,
                                "The delegation this refresh token was issued under has ended"));
            }
        }

        /** RFC 8707 section 2.2: a resource on the token request must be the delegation's portal. */
        private void checkResource(Delegation delegation, String resource) {
            if (resource == null) {
                return;
            }
            boolean samePortal = Portals.byResource(realm, resource)
                    .filter(portal -> portal.getClientId().equals(delegation.portalClientId()))
                    .isPresent();
            if (!samePortal) {
                throw refused(
                        delegation.id(),
                        ProxymeException.forbidden(
                                OAuthErrorException.INVALID_TARGET,
                                "The resource is not the portal the user delegated access to"));
            }
        }

        /**
         * A public agent's refresh token is good for one refresh. The marker is set at once in the cluster's single-use
         * store, so that of two concurrent refreshes with one token only one succeeds; the second is a replay (a stolen
         * token, or a client that lost track) and ends the delegation, in a transaction of its own: the refusal rolls
         * the request's back.
         */
        private void checkRefreshTokenUnused(Delegation delegation, RefreshToken used) {
            if (used == null || used.getId() == null) {
                return;
            }
            long lifespan = Math.max(
                    60, (used.getExp() == null ? Time.currentTime() : used.getExp()) - Time.currentTime() + 60);
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
                    delegation.id(),
                    ProxymeException.forbidden(
                            OAuthErrorException.INVALID_GRANT,
                            "The refresh token was already used: the delegation has been ended"));
        }

        /** Audited (its own transaction: the request's rolls back), then answered in RFC 6749's shape by Keycloak. */
        private RuntimeException refused(String delegationId, ProxymeException refusal) {
            new AuditLog(session, realm)
                    .recordRefusal(
                            endpointEvent(),
                            AuditRecord.refusal(
                                            Actor.agent(agent.clientId()),
                                            Refusals.tokenEndpointError(refusal),
                                            refusal.description())
                                    .delegation(delegationId, user.getId(), agent.clientId(), null, null));
            return Refusals.atTokenPostProcessing(refusal);
        }

        private EventType endpointEvent() {
            if (OAuth2Constants.AUTHORIZATION_CODE.equals(grantType)) {
                return EventType.CODE_TO_TOKEN;
            }
            if (OAuth2Constants.DEVICE_CODE_GRANT_TYPE.equals(grantType)) {
                return EventType.OAUTH2_DEVICE_CODE_TO_TOKEN;
            }
            return EventType.REFRESH_TOKEN;
        }
    }
}
