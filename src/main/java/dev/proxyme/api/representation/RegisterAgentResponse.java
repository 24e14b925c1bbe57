package dev.proxyme.api.representation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.proxyme.agent.AgentRegistration;

/** {@code portals} empty means the agent may ask for any portal of the realm. */
public record RegisterAgentResponse(
        @JsonProperty("client_id") String clientId,
        @JsonProperty("client_secret") String clientSecret,
        @JsonProperty("name") String name,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("portals") List<String> portals,
        @JsonProperty("token_lifetime_seconds") int tokenLifetimeSeconds,
        @JsonProperty("token_signing_alg") String tokenSigningAlg) {

    public static RegisterAgentResponse of(AgentRegistration.Registered registered) {
        var agent = registered.agent();
        return new RegisterAgentResponse(agent.clientId(), registered.clientSecret(), agent.client().getName(),
                List.copyOf(agent.allowedScopes().names()), List.copyOf(agent.allowedPortals()), agent.tokenLifetimeSeconds(),
                registered.tokenSigningAlg());
    }
}
