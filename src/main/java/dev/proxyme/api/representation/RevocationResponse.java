package dev.proxyme.api.representation;

import com.fasterxml.jackson.annotation.JsonProperty;

public record RevocationResponse(
        @JsonProperty("status") String status,
        @JsonProperty("delegation_id") String delegationId) {

    public static RevocationResponse revoked(String delegationId) {
        return new RevocationResponse("revoked", delegationId);
    }
}
