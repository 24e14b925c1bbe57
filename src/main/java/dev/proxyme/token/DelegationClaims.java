package dev.proxyme.token;

import java.util.LinkedHashMap;
import java.util.Map;

import org.keycloak.representations.AccessToken;

import dev.proxyme.Proxyme;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Envelope;

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

    /** The task envelope and its count, for introspection: what the portal may still expect of this delegation. */
    public static void withEnvelope(AccessToken token, Delegation delegation) {
        Envelope envelope = delegation.envelope();
        if (envelope.isEmpty()) {
            return;
        }
        Map<String, Object> claim = new LinkedHashMap<>();
        if (envelope.budget() != null) {
            claim.put("budget", envelope.budget());
            claim.put("used", delegation.callsUsed());
        }
        if (!envelope.routes().isEmpty()) {
            claim.put("routes", envelope.routes());
        }
        if (envelope.notBefore() != null) {
            claim.put("not_before", envelope.notBefore());
        }
        if (envelope.notAfter() != null) {
            claim.put("not_after", envelope.notAfter());
        }
        token.getOtherClaims().put(Proxyme.CLAIM_ENVELOPE, claim);
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
