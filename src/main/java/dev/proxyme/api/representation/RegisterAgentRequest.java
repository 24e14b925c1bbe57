package dev.proxyme.api.representation;

import java.util.List;

import dev.proxyme.agent.AgentRegistration;
import dev.proxyme.web.JsonBody;

/**
 * {@code register_agent}'s body; {@code portals} null means any portal of the realm, {@code tokenSigningAlg} null the
 * realm's default algorithm.
 */
public record RegisterAgentRequest(
        String name,
        List<String> scopes,
        List<String> portals,
        Long tokenLifetimeSeconds,
        String tokenSigningAlg,
        List<String> redirectUris,
        String tokenEndpointAuthMethod) {

    public static RegisterAgentRequest from(JsonBody json) {
        return new RegisterAgentRequest(
                json.string("name"),
                json.strings("scopes"),
                json.strings("portals"),
                json.integer("token_lifetime_seconds"),
                json.string("token_signing_alg"),
                json.strings("redirect_uris"),
                json.string("token_endpoint_auth_method"));
    }

    public AgentRegistration.Request toRegistration() {
        return new AgentRegistration.Request(
                name, scopes, portals, tokenLifetimeSeconds, tokenSigningAlg, redirectUris, tokenEndpointAuthMethod);
    }
}
