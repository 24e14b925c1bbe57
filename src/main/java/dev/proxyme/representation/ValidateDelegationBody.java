package dev.proxyme.representation;

import dev.proxyme.web.JsonBody;

/** {@code validate_delegation}'s body. */
public record ValidateDelegationBody(String delegationToken) {

    public static ValidateDelegationBody from(JsonBody json) {
        return new ValidateDelegationBody(json.requiredString("delegation_token"));
    }
}
