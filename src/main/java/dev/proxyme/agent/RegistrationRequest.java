package dev.proxyme.agent;

import java.util.List;

import dev.proxyme.web.JsonBody;

/**
 * What an administrator asks for: RFC 7591's names where they exist. {@code portals} null: any portal of the realm;
 * {@code tokenSigningAlg} null: the realm's default; {@code redirectUris} null: no authorization code flow;
 * {@code tokenEndpointAuthMethod} null: {@value AgentRegistration#CLIENT_SECRET_BASIC}.
 */
public record RegistrationRequest(
        String name,
        List<String> scopes,
        List<String> portals,
        Long tokenLifetimeSeconds,
        String tokenSigningAlg,
        List<String> redirectUris,
        String tokenEndpointAuthMethod) {

    /** {@code register_agent}'s body. */
    public static RegistrationRequest from(JsonBody json) {
        return new RegistrationRequest(
                json.string("name"),
                json.strings("scopes"),
                json.strings("portals"),
                json.integer("token_lifetime_seconds"),
                json.string("token_signing_alg"),
                json.strings("redirect_uris"),
                json.string("token_endpoint_auth_method"));
    }
}
