package dev.proxyme.representation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a revocation answers, wherever it was asked for: {@code {"status": "revoked"}} with the delegation it ended, or
 * with how many it ended, or both.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RevocationResponse(
        @JsonProperty("status") String status,
        @JsonProperty("count") Integer count,
        @JsonProperty("delegation_id") String delegationId) {

    private static final String REVOKED = "revoked";

    /** One delegation, named. */
    public static RevocationResponse revoked(String delegationId) {
        return new RevocationResponse(REVOKED, null, delegationId);
    }

    /** Some delegations, counted. */
    public static RevocationResponse revoked(int count) {
        return new RevocationResponse(REVOKED, count, null);
    }

    /** One delegation, named and counted, as the admin API answers each of its revocations with a count. */
    public static RevocationResponse revokedOne(String delegationId) {
        return new RevocationResponse(REVOKED, 1, delegationId);
    }
}
