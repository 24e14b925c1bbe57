package dev.proxyme.consent;

import java.util.HashMap;
import java.util.Map;

import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;

/** An agent's pending request for a delegation, waiting for its user's decision (RFC 8628's device authorization). */
public record PendingRequest(
        String id,
        String userCode,
        String agentClientId,
        String portalClientId,
        Scopes scopes,
        String purpose,
        String userHint,
        long delegationSeconds,
        long expiresAt,
        Envelope envelope) {

    Map<String, String> toNotes() {
        Map<String, String> notes = new HashMap<>();
        notes.put("id", id);
        notes.put("user_code", userCode);
        notes.put("agent", agentClientId);
        notes.put("portal", portalClientId);
        notes.put("scopes", scopes.toString());
        notes.put("purpose", purpose);
        if (userHint != null) {
            notes.put("user_hint", userHint);
        }
        notes.put("delegation_seconds", Long.toString(delegationSeconds));
        notes.put("expires_at", Long.toString(expiresAt));
        if (!envelope.isEmpty()) {
            notes.put("envelope", envelope.toJson());
        }
        return notes;
    }

    static PendingRequest fromNotes(Map<String, String> notes) {
        return new PendingRequest(
                notes.get("id"),
                notes.get("user_code"),
                notes.get("agent"),
                notes.get("portal"),
                Scopes.parse(notes.get("scopes")),
                notes.get("purpose"),
                notes.get("user_hint"),
                Long.parseLong(notes.get("delegation_seconds")),
                Long.parseLong(notes.get("expires_at")),
                Envelope.fromJson(notes.get("envelope")));
    }

    public boolean isExpiredAt(long nowSeconds) {
        return nowSeconds >= expiresAt;
    }
}
