package dev.proxyme.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.keycloak.models.RealmModel;

import dev.proxyme.model.Delegation;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.TokenUsage;

/**
 * A delegation as JSON, for its user ({@link #forUser}: names of the agent and portal, when it was granted and last
 * used) or for administrators ({@link #forAdministrators}: the user, who granted it, when it was created). Times are
 * epoch milliseconds; what a view does not show is left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DelegationRepresentation(
        @JsonProperty("id") String id,
        @JsonProperty("user_id") String userId,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("agent_name") String agentName,
        @JsonProperty("portal") String portal,
        @JsonProperty("portal_name") String portalName,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("purpose") String purpose,
        @JsonProperty("status") String status,
        @JsonProperty("created_at") Long createdAt,
        @JsonProperty("granted_at") Long grantedAt,
        @JsonProperty("expires_at") long expiresAt,
        @JsonProperty("ended_at") Long endedAt,
        @JsonProperty("end_reason") String endReason,
        @JsonProperty("granted_by") String grantedBy,
        @JsonProperty("tokens_issued") long tokensIssued,
        @JsonProperty("last_token_at") Long lastTokenAt,
        @JsonProperty("last_used_at") Long lastUsedAt,
        @JsonProperty("grant_flow") String grantFlow,
        @JsonProperty("dpop_jkt") String dpopJkt,
        @JsonProperty("envelope") Map<String, Object> envelope) {

    public static DelegationRepresentation forAdministrators(Delegation delegation, TokenUsage usage) {
        return new DelegationRepresentation(
                delegation.id(),
                delegation.userId(),
                delegation.agentClientId(),
                null,
                delegation.portalClientId(),
                null,
                List.copyOf(delegation.scopes().names()),
                delegation.purpose(),
                delegation.status().name(),
                delegation.createdAt(),
                null,
                delegation.expiresAt(),
                delegation.endedAt(),
                delegation.endReason(),
                delegation.grantedBy().toString(),
                usage.tokensIssued(),
                usage.lastIssuedAt(),
                null,
                delegation.grantFlow(),
                delegation.dpopJkt(),
                envelopeOf(delegation));
    }

    public static DelegationRepresentation forUser(RealmModel realm, Delegation delegation, TokenUsage usage) {
        return new DelegationRepresentation(
                delegation.id(),
                null,
                delegation.agentClientId(),
                ClientNames.displayName(realm, delegation.agentClientId()),
                delegation.portalClientId(),
                ClientNames.displayName(realm, delegation.portalClientId()),
                List.copyOf(delegation.scopes().names()),
                delegation.purpose(),
                delegation.status().label(),
                null,
                delegation.createdAt(),
                delegation.expiresAt(),
                delegation.endedAt(),
                delegation.endReason(),
                null,
                usage.tokensIssued(),
                null,
                usage.lastIssuedAt(),
                delegation.grantFlow(),
                delegation.dpopJkt(),
                envelopeOf(delegation));
    }

    /** The envelope with its count: {@code budget}, {@code used}, {@code routes}, {@code not_before}, {@code not_after}. */
    public static Map<String, Object> envelopeOf(Delegation delegation) {
        Envelope envelope = delegation.envelope();
        if (envelope.isEmpty()) {
            return null;
        }
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        if (envelope.budget() != null) {
            view.put("budget", envelope.budget());
            view.put("used", delegation.callsUsed());
        }
        if (!envelope.routes().isEmpty()) {
            view.put("routes", envelope.routes());
        }
        if (envelope.notBefore() != null) {
            view.put("not_before", envelope.notBefore());
        }
        if (envelope.notAfter() != null) {
            view.put("not_after", envelope.notAfter());
        }
        return view;
    }

    /** The user's page's view of it: FreeMarker reads maps unambiguously (a record's accessors look like methods to it). */
    public Map<String, Object> toView() {
        Map<String, Object> view = new HashMap<>();
        view.put("id", id);
        view.put("agentId", agentId);
        view.put("agentName", agentName);
        view.put("portal", portal);
        view.put("portalName", portalName);
        view.put("scopes", scopes);
        view.put("status", status);
        view.put("grantedAt", grantedAt);
        view.put("expiresAt", expiresAt);
        view.put("tokensIssued", tokensIssued);
        view.values().removeIf(java.util.Objects::isNull);
        putIfPresent(view, "purpose", purpose);
        putIfPresent(view, "endedAt", endedAt);
        putIfPresent(view, "endReason", endReason);
        putIfPresent(view, "lastUsedAt", lastUsedAt);
        if (envelope != null) {
            putIfPresent(view, "envelopeBudget", envelope.get("budget"));
            putIfPresent(view, "envelopeUsed", envelope.get("used"));
            putIfPresent(view, "envelopeRoutes", envelope.get("routes"));
            if (envelope.get("not_after") instanceof Long notAfter) {
                view.put("envelopeNotAfter", notAfter * 1000);
            }
        }
        return view;
    }

    private static void putIfPresent(Map<String, Object> view, String key, Object value) {
        if (value != null) {
            view.put(key, value);
        }
    }
}
