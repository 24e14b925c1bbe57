package dev.proxyme.web;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;

import org.keycloak.OAuthErrorException;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.AccountRoles;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProvider;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProviderFactory;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.utils.AuthorizeClientUtil;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.Auth;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import dev.proxyme.ProxymeException;

/** Who is calling: an OAuth client authenticated by the realm's client authenticators, or a bearer token's subject. */
public final class Callers {

    private Callers() {}

    /**
     * Authenticates the calling client with the realm's client authentication flow (client_secret_basic, mTLS, ...),
     * as Keycloak's token endpoint does. Only confidential clients can call Proxyme's client operations.
     */
    public static ClientModel authenticateClient(KeycloakSession session, EventBuilder event) {
        checkOneAuthorizationHeader(session);
        ClientModel client;
        try {
            client = AuthorizeClientUtil.authorizeClient(session, event, null).getClient();
        } catch (WebApplicationException refused) {
            throw ProxymeException.unauthorized(OAuthErrorException.INVALID_CLIENT, "Client authentication failed");
        }
        if (client.isPublicClient() || client.isBearerOnly()) {
            throw ProxymeException.unauthorized(
                    OAuthErrorException.INVALID_CLIENT, "A confidential client is required");
        }
        return client;
    }

    /**
     * Authenticates an {@code Authorization: Bearer} access token of this realm as Keycloak's own REST APIs do; that
     * check refuses delegation tokens (their grant type allows them at no Keycloak endpoint).
     */
    public static AuthResult authenticateBearer(KeycloakSession session) {
        checkOneAuthorizationHeader(session);
        AuthResult auth;
        try {
            auth = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        } catch (WebApplicationException refused) {
            auth = null;
        }
        if (auth == null || auth.user() == null || auth.client() == null) {
            throw ProxymeException.unauthorized(
                    OAuthErrorException.INVALID_TOKEN, "A valid bearer access token of this realm is required");
        }
        return auth;
    }

    /** What a user's token may do with the user's own delegations, in the roles Keycloak's Account REST API asks for. */
    public enum AccountAccess {
        /** See delegations and what agents did: as Keycloak's account API lets one see the profile or consents. */
        VIEW(
                AccountRoles.MANAGE_ACCOUNT,
                AccountRoles.VIEW_PROFILE,
                AccountRoles.VIEW_CONSENT,
                AccountRoles.MANAGE_CONSENT),
        /** End delegations: as Keycloak's account API lets one revoke a consent. */
        MANAGE(AccountRoles.MANAGE_ACCOUNT, AccountRoles.MANAGE_CONSENT);

        private final String[] roles;

        AccountAccess(String... roles) {
            this.roles = roles;
        }
    }

    /**
     * A user's bearer token (see {@link #authenticateBearer}) held to what Keycloak's Account REST API requires of it ({@code AccountLoader}): the
     * {@code account} client in its audience (a lightweight token read as Keycloak's introspection rebuilds it), then
     * one of the {@code account} client's roles for the access, never a service account. Another application of the
     * realm, whose tokens do not speak for the user's account, gets what Keycloak's own API answers it: 401, or 403.
     */
    public static void checkAccountAccess(KeycloakSession session, AuthResult caller, AccountAccess access) {
        if (caller.user().getServiceAccountClientLink() != null) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED, "Service accounts have no delegations of their own");
        }
        ClientModel account =
                session.getContext().getRealm().getClientByClientId(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        AccessToken token = caller.token();
        if (account != null
                && caller.session() != null
                && (token.getAudience() == null || token.getResourceAccess(account.getClientId()) == null)) {
            TokenIntrospectionProvider introspection = session.getProvider(
                    TokenIntrospectionProvider.class, AccessTokenIntrospectionProviderFactory.ACCESS_TOKEN_TYPE);
            if (introspection instanceof AccessTokenIntrospectionProvider<?> rebuilding) {
                token = rebuilding.transformAccessToken(token, caller.session());
            }
        }
        if (account == null || !token.hasAudience(account.getClientId())) {
            throw ProxymeException.unauthorized(
                    OAuthErrorException.INVALID_TOKEN,
                    "The token is not for the user's account: its audience must include "
                            + Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        }
        if (!new Auth(session.getContext().getRealm(), token, caller.user(), account, caller.session(), false)
                .hasOneOfAppRole(account, access.roles)) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.INSUFFICIENT_SCOPE,
                    "The token lacks the account role for this: one of " + String.join(", ", access.roles));
        }
    }

    /** The caller presents {@code Authorization: Bearer}; more than one Authorization header is refused outright. */
    public static boolean hasBearerToken(KeycloakSession session) {
        checkOneAuthorizationHeader(session);
        List<String> authorization =
                session.getContext().getRequestHeaders().getRequestHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null
                && !authorization.isEmpty()
                && authorization.get(0).regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** Two credentials in one request are ambiguous: never guess which one the caller meant. */
    private static void checkOneAuthorizationHeader(KeycloakSession session) {
        List<String> authorization =
                session.getContext().getRequestHeaders().getRequestHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.size() > 1) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST, "Send exactly one Authorization header");
        }
    }

    /**
     * The token's user holds the realm-management role, and the token's client may carry it (full scope or a scope
     * mapping), as Keycloak's admin API requires.
     */
    public static void checkRealmManagementRole(RealmModel realm, AuthResult caller, String role) {
        ClientModel realmManagement = realm.getClientByClientId(Constants.REALM_MANAGEMENT_CLIENT_ID);
        RoleModel required = realmManagement == null ? null : realmManagement.getRole(role);
        if (required == null
                || !caller.user().hasRole(required)
                || !caller.client().hasScope(required)) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED, "Requires the realm-management role " + role);
        }
    }

    public static final String MANAGE_CLIENTS = AdminRoles.MANAGE_CLIENTS;
    public static final String MANAGE_USERS = AdminRoles.MANAGE_USERS;
}
