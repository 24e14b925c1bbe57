package dev.proxyme.representation;

import org.keycloak.OAuthErrorException;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.web.JsonBody;

/** {@code request_delegation}'s body: what the agent asks its user for, and why. */
public record RequestDelegationBody(
        Scopes scopes, String portal, String purpose, String user, Long expiresIn, Envelope envelope) {

    public static RequestDelegationBody from(JsonBody json) {
        Scopes scopes = json.scopes("scopes");
        if (scopes == null) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "'scopes' is required");
        }
        return new RequestDelegationBody(
                scopes,
                json.string("portal"),
                json.string("purpose"),
                json.string("user"),
                json.integer("expires_in"),
                json.envelope("envelope"));
    }
}
