package dev.proxyme.representation;

import org.keycloak.OAuthErrorException;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.web.JsonBody;

/**
 * {@code delegate}'s body. A trusted backend names the user, the agent and the scopes; an agent names a delegation it
 * holds ({@code delegation_id}), or a user and scopes, or the {@code request_id} of a request it polls. A backend may
 * give the delegation it vouches for a task {@code envelope}.
 */
public record DelegateBody(
        String userId,
        String username,
        String agentId,
        Scopes scopes,
        String portal,
        Long expiresIn,
        String delegationId,
        String requestId,
        Envelope envelope) {

    public static DelegateBody from(JsonBody json) {
        return new DelegateBody(
                json.string("user_id"),
                json.string("username"),
                json.string("agent_id"),
                json.scopes("scopes"),
                json.string("portal"),
                json.integer("expires_in"),
                json.string("delegation_id"),
                json.string("request_id"),
                json.envelope("envelope"));
    }

    /** The user is named exactly once, by id or by username. */
    public void checkUserNamedOnce() {
        if ((userId == null) == (username == null)) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "Send 'user_id' or 'username'");
        }
    }

    public Scopes requiredScopes() {
        if (scopes == null) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "'scopes' is required");
        }
        return scopes;
    }
}
