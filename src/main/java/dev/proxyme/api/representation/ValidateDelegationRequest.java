package dev.proxyme.api.representation;

import dev.proxyme.web.JsonBody;

/** {@code validate_delegation}'s body. */
public record ValidateDelegationRequest(String delegationToken) {

    public static ValidateDelegationRequest from(JsonBody json) {
        return new ValidateDelegationRequest(json.requiredString("delegation_token"));
    }
}
