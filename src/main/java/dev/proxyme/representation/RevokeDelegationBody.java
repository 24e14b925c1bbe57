package dev.proxyme.representation;

import org.keycloak.OAuthErrorException;

import dev.proxyme.ProxymeException;
import dev.proxyme.web.JsonBody;

/** {@code revoke_delegation}'s body: a token of the delegation, or its id; exactly one of them. */
public record RevokeDelegationBody(String delegationToken, String delegationId) {

    public static RevokeDelegationBody from(JsonBody json) {
        RevokeDelegationBody request =
                new RevokeDelegationBody(json.string("delegation_token"), json.string("delegation_id"));
        if ((request.delegationToken() == null) == (request.delegationId() == null)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST, "Send 'delegation_token' or 'delegation_id'");
        }
        return request;
    }
}
