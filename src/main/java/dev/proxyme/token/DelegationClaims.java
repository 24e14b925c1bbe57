package dev.proxyme.token;

import java.util.LinkedHashMap;
import java.util.Map;

import org.keycloak.common.util.Time;
import org.keycloak.representations.AccessToken;

import dev.proxyme.Proxyme;
import dev.proxyme.ProxymeSettings;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Scopes;

/** The claims that make an access token a delegation token, beyond {@code sub}, {@code azp}, {@code aud}, {@code scope}. */
public final class DelegationClaims {

    private DelegationClaims() {}

    /**
     * @param agentServiceAccountId the agent's service-account user id: RFC 8693 section 4.1 names the acting party by
     *                              {@code act.sub}, a subject of the same issuer. A public agent has no service account:
     *                              its client id is its only name.
     */
    public static void apply(
            AccessToken token,
            String delegationId,
            String portalClientId,
            String agentServiceAccountId,
            String agentClientId) {
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("sub", agentServiceAccountId != null ? agentServiceAccountId : agentClientId);
        actor.put("client_id", agentClientId);
        token.getOtherClaims().put(Proxyme.CLAIM_ACT, actor);
        token.getOtherClaims().put(Proxyme.CLAIM_DELEGATION_ID, delegationId);
        token.getOtherClaims().put(Proxyme.CLAIM_PORTAL, portalClientId);
    }

    /**
     * Makes an access token Keycloak built for an agent (minted by Proxyme, or issued at Keycloak's token endpoint) the
     * delegation token of a delegation: {@code aud} the portal only (who introspects it, RFC 7662's audience check),
     * {@code azp} and {@code act} the agent, the delegated scopes without OpenID's or the user's roles, the delegation's
     * id in {@code jti} (its grant Proxyme's, which Keycloak's own APIs refuse), and an {@code exp} within the agent's
     * lifetime, the server's longest and the delegation's end, whatever the client's lifespan attribute says.
     *
     * @param agentServiceAccountId the agent's service-account user id, or null for a public agent
     */
    public static void shape(
            AccessToken token,
            Delegation delegation,
            String agentClientId,
            String agentServiceAccountId,
            Scopes scopes,
            ProxymeSettings settings) {
        token.setScope(scopes.toString());
        token.audience(delegation.portalClientId());
        token.issuedFor(agentClientId);
        long iat = token.getIat() == null ? Time.currentTime() : token.getIat();
        token.exp(settings.boundedExp(iat, token.getExp(), delegation.lastTokenSecond()));
        token.id(DelegationTokenId.retag(token.getId(), delegation.id()));
        withoutUsersRoles(token);
        apply(token, delegation.id(), delegation.portalClientId(), agentServiceAccountId, agentClientId);
    }

    /** The task envelope and its count, for introspection: what the portal may still expect of this delegation. */
    public static void withEnvelope(AccessToken token, Delegation delegation) {
        if (!delegation.envelope().isEmpty()) {
            token.getOtherClaims()
                    .put(Proxyme.CLAIM_ENVELOPE, delegation.envelope().claim(delegation.callsUsed()));
        }
    }

    /**
     * A delegation token carries the delegated scopes, never its user's roles (which an administrator's scope mapping
     * on the agent could otherwise bring in) nor {@code openid}: an endpoint that authorizes by a token's roles or
     * scopes (client registration, userinfo) must find nothing in it.
     */
    public static void withoutUsersRoles(AccessToken token) {
        token.setRealmAccess(null);
        token.setResourceAccess(null);
        if (token.getScope() != null) {
            token.setScope(String.join(
                    " ",
                    java.util.Arrays.stream(token.getScope().split(" "))
                            .filter(scope -> !scope.isEmpty() && !"openid".equals(scope))
                            .toList()));
        }
    }
}
