package dev.proxyme.representation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.keycloak.OAuth2Constants;

import dev.proxyme.agent.AgentRegistration;
import dev.proxyme.agent.SelfRegisteredAgents;

/**
 * RFC 7591 section 3.2.1's client information response: what Proxyme registered, including what it decided in place
 * of the request (a public client, its scopes, the authorization code flow). No secret, no registration access token:
 * only an administrator changes an agent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SelfRegistrationResponse(
        @JsonProperty("client_id") String clientId,
        @JsonProperty("client_id_issued_at") long clientIdIssuedAt,
        @JsonProperty("client_name") String clientName,
        @JsonProperty("redirect_uris") List<String> redirectUris,
        @JsonProperty("grant_types") List<String> grantTypes,
        @JsonProperty("response_types") List<String> responseTypes,
        @JsonProperty("token_endpoint_auth_method") String tokenEndpointAuthMethod,
        @JsonProperty("scope") String scope) {

    public static SelfRegistrationResponse of(SelfRegisteredAgents.Registration registered, long issuedAt) {
        return new SelfRegistrationResponse(
                registered.clientId(),
                issuedAt,
                registered.clientName(),
                registered.redirectUris(),
                List.of(OAuth2Constants.AUTHORIZATION_CODE, OAuth2Constants.REFRESH_TOKEN),
                List.of(OAuth2Constants.CODE),
                AgentRegistration.NONE,
                registered.scopes().toString());
    }
}
