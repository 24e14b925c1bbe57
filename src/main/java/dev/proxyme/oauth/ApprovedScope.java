package dev.proxyme.oauth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OAuth2DeviceCodeModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantType;
import org.keycloak.protocol.oidc.grants.device.endpoints.DeviceEndpoint;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.util.TokenUtil;

import dev.proxyme.clients.Agent;
import dev.proxyme.model.Scopes;

/**
 * Once the user approved, the login asks Keycloak for what was granted and nothing else: the delegation's scopes (a
 * default the request left out included), and {@code openid} if the agent sent it. {@code offline_access} and the other
 * OpenID Connect scopes an agent may name are dropped here, so Keycloak makes no offline session and no refresh token
 * that outlives the delegation. The device flow keeps its request with the device code, which the token request reads.
 */
final class ApprovedScope {

    private ApprovedScope() {}

    static void narrowLogin(KeycloakSession session, AuthenticationSessionModel authSession, Scopes granted) {
        // However the agent was made (the admin API, a partial import), offline_access is no default of it from here
        // on: Keycloak adds a client's default scopes to the token request that follows.
        Agent.holdOpenIdConnectScopes(authSession.getRealm(), authSession.getClient());
        String approved = scopeParam(authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM), granted);
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, approved);
        AuthenticationManager.setClientScopesInSession(session, authSession);
        if (DeviceGrantType.isOAuth2DeviceVerificationFlow(authSession)) {
            OAuth2DeviceCodeModel deviceCode = DeviceEndpoint.getDeviceByUserCode(
                    session,
                    authSession.getRealm(),
                    authSession.getClientNote(DeviceGrantType.OAUTH2_DEVICE_VERIFIED_USER_CODE));
            if (deviceCode != null) {
                Map<String, String> narrowed = new HashMap<>(deviceCode.toMap());
                narrowed.put(OAuth2Constants.SCOPE, approved);
                session.singleUseObjects().replace(deviceCode.serializeKey(), narrowed);
            }
        }
    }

    static String scopeParam(String requested, Scopes granted) {
        List<String> names = new ArrayList<>();
        if (TokenUtil.isOIDCRequest(requested)) {
            names.add(OAuth2Constants.SCOPE_OPENID);
        }
        names.addAll(granted.names());
        return String.join(" ", names);
    }
}
