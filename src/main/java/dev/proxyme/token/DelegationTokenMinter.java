package dev.proxyme.token;

import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import dev.proxyme.Proxyme;
import dev.proxyme.ProxymeNode;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.MintedToken;
import dev.proxyme.model.Scopes;

/**
 * Mints delegation tokens with Keycloak's own token machinery, as its client-credentials grant does: a transient user
 * session (nothing stored), the agent's client scopes and protocol mappers, the realm's active signing key and the
 * agent's signature algorithm. The minter decides nothing: the delegation service has already authorized the request.
 */
public class DelegationTokenMinter {

    private static final String AUTH_METHOD = "proxyme-delegation";

    private final KeycloakSession session;
    private final RealmModel realm;

    public DelegationTokenMinter(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public MintedToken mint(
            ClientModel agent, UserModel user, Delegation delegation, Scopes scopes, EventBuilder event) {
        // Keycloak picks the signature algorithm and key from the context client.
        session.getContext().setClient(agent);

        RootAuthenticationSessionModel rootAuthSession =
                new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
        try {
            AuthenticationSessionModel authSession = rootAuthSession.createAuthenticationSession(agent);
            authSession.setAuthenticatedUser(user);
            authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
            // Introspection checks the issuer: it must be the realm's issuer for this request's base URI.
            authSession.setClientNote(
                    OIDCLoginProtocol.ISSUER,
                    Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
            authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scopes.toString());

            UserSessionModel userSession = new UserSessionManager(session)
                    .createUserSession(
                            rootAuthSession.getId(),
                            realm,
                            user,
                            user.getUsername(),
                            session.getContext().getConnection().getRemoteAddr(),
                            AUTH_METHOD,
                            false,
                            null,
                            null,
                            UserSessionModel.SessionPersistenceState.TRANSIENT);

            AuthenticationManager.setClientScopesInSession(session, authSession);
            ClientSessionContext clientSessionCtx =
                    TokenManager.attachAuthenticationSession(session, userSession, authSession);
            clientSessionCtx.setAttribute(Constants.GRANT_TYPE, Proxyme.GRANT_TYPE);

            TokenManager.AccessTokenResponseBuilder builder = new TokenManager()
                    .responseBuilder(realm, agent, event, session, userSession, clientSessionCtx)
                    .generateAccessToken();
            AccessToken token = builder.getAccessToken();
            // A transient session is not stored: a token naming it would be refused as user_session_not_found.
            token.setSessionId(null);
            token.subject(user.getId());
            UserModel agentServiceAccount =
                    agent.isPublicClient() ? null : session.users().getServiceAccount(agent);
            DelegationClaims.shape(
                    token,
                    delegation,
                    agent.getClientId(),
                    agentServiceAccount == null ? null : agentServiceAccount.getId(),
                    scopes,
                    ProxymeNode.of(session).settings());

            AccessTokenResponse response = builder.build();
            return new MintedToken(
                    response.getToken(),
                    token.getId(),
                    token.getIat() == null ? Time.currentTime() : token.getIat(),
                    token.getExp(),
                    token.getScope(),
                    token.getType() == null ? "Bearer" : token.getType());
        } finally {
            // Nothing of the login machinery outlives the mint: the token is the only result.
            session.authenticationSessions().removeRootAuthenticationSession(realm, rootAuthSession);
        }
    }
}
