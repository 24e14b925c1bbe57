package dev.proxyme.representation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.keycloak.OAuth2Constants;

import dev.proxyme.Proxyme;
import dev.proxyme.agent.AgentRegistration;

/** {@code portals} empty means the agent may ask for any portal of the realm. */
public record RegisterAgentResponse(
        @JsonProperty("client_id") String clientId,

        @JsonProperty("client_secret") @JsonInclude(JsonInclude.Include.NON_NULL)
        String clientSecret,

        @JsonProperty("name") String name,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("portals") List<String> portals,
        @JsonProperty("token_lifetime_seconds") int tokenLifetimeSeconds,
        @JsonProperty("token_signing_alg") String tokenSigningAlg,
        @JsonProperty("token_endpoint_auth_method") String tokenEndpointAuthMethod,
        @JsonProperty("redirect_uris") List<String> redirectUris,
        @JsonProperty("grant_types") List<String> grantTypes) {

    public static RegisterAgentResponse of(AgentRegistration.Registered registered) {
        var agent = registered.agent();
        return new RegisterAgentResponse(
                agent.clientId(),
                registered.clientSecret(),
                agent.client().getName(),
                List.copyOf(agent.allowedScopes().names()),
                List.copyOf(agent.allowedPortals()),
                agent.tokenLifetimeSeconds(),
                registered.tokenSigningAlg(),
                registered.tokenEndpointAuthMethod(),
                registered.redirectUris(),
                grantTypes(registered));
    }

    /** RFC 7591 section 2's names of the grants the agent can use at the realm's token endpoint. */
    private static List<String> grantTypes(AgentRegistration.Registered registered) {
        List<String> grants = new java.util.ArrayList<>();
        if (!registered.redirectUris().isEmpty()) {
            grants.add(OAuth2Constants.AUTHORIZATION_CODE);
        }
        grants.add(OAuth2Constants.DEVICE_CODE_GRANT_TYPE);
        grants.add(OAuth2Constants.REFRESH_TOKEN);
        if (registered.clientSecret() != null) {
            grants.add(Proxyme.GRANT_TYPE);
        }
        return grants;
    }
}
