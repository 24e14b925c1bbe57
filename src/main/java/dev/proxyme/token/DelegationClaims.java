package dev.proxyme.token;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.proxyme.Proxyme;
import org.keycloak.representations.AccessToken;

/** The claims that make an access token a delegation token, beyond {@code sub}, {@code azp}, {@code aud}, {@code scope}. */
public final class DelegationClaims {

    private DelegationClaims() {
    }

    /**
     * @param agentServiceAccountId the agent's service-account user id: RFC 8693 section 4.1 names the acting party by
     *                              {@code act.sub}, a subject of the same issuer
     */
    public static void apply(AccessToken token, String delegationId, String portalClientId,
                             String agentServiceAccountId, String agentClientId) {
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("sub", agentServiceAccountId);
        actor.put("client_id", agentClientId);
        token.getOtherClaims().put(Proxyme.CLAIM_ACT, actor);
        token.getOtherClaims().put(Proxyme.CLAIM_DELEGATION_ID, delegationId);
        token.getOtherClaims().put(Proxyme.CLAIM_PORTAL, portalClientId);
    }
}
