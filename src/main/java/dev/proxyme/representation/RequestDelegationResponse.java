package dev.proxyme.representation;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.keycloak.common.util.Time;

import dev.proxyme.consent.PendingRequest;
import dev.proxyme.consent.PendingRequests;

/** RFC 8628 section 3.2's device authorization response, with {@code request_id} in place of {@code device_code}. */
public record RequestDelegationResponse(
        @JsonProperty("request_id") String requestId,
        @JsonProperty("user_code") String userCode,
        @JsonProperty("verification_uri") String verificationUri,
        @JsonProperty("verification_uri_complete") String verificationUriComplete,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("interval") int interval) {

    public static RequestDelegationResponse of(PendingRequest request, String verificationUri) {
        return new RequestDelegationResponse(
                request.id(),
                request.userCode(),
                verificationUri,
                verificationUri + "?user_code=" + request.userCode(),
                Math.max(0, request.expiresAt() - Time.currentTime()),
                PendingRequests.POLL_INTERVAL_SECONDS);
    }
}
