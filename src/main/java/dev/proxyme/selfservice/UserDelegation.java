package dev.proxyme.selfservice;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.proxyme.delegation.Scopes;
import dev.proxyme.store.DelegationEntity;
import dev.proxyme.web.BrowserPage;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/** A delegation as its user sees it. Times are epoch milliseconds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserDelegation(
        @JsonProperty("id") String id,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("agent_name") String agentName,
        @JsonProperty("portal") String portal,
        @JsonProperty("portal_name") String portalName,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("purpose") String purpose,
        @JsonProperty("status") String status,
        @JsonProperty("granted_at") long grantedAt,
        @JsonProperty("expires_at") long expiresAt,
        @JsonProperty("ended_at") Long endedAt,
        @JsonProperty("end_reason") String endReason,
        @JsonProperty("tokens_issued") int tokensIssued,
        @JsonProperty("last_used_at") Long lastUsedAt) {

    static UserDelegation of(RealmModel realm, DelegationEntity entity) {
        return new UserDelegation(entity.getId(), entity.getAgentClientId(), nameOf(realm, entity.getAgentClientId()),
                entity.getPortalClientId(), nameOf(realm, entity.getPortalClientId()),
                List.copyOf(Scopes.parse(entity.getScopes()).names()), entity.getPurpose(), entity.getStatus().toLowerCase(),
                entity.getCreatedAt(), entity.getExpiresAt(), entity.getEndedAt(), entity.getEndReason(),
                entity.getTokensIssued(), entity.getLastTokenAt());
    }

    private static String nameOf(RealmModel realm, String clientId) {
        ClientModel client = realm.getClientByClientId(clientId);
        return client == null ? clientId : BrowserPage.displayName(client);
    }

    /** The page's view of it: FreeMarker reads maps unambiguously (a record's accessors look like methods to it). */
    Map<String, Object> toView() {
        Map<String, Object> view = new HashMap<>();
        view.put("id", id);
        view.put("agentId", agentId);
        view.put("agentName", agentName);
        view.put("portal", portal);
        view.put("portalName", portalName);
        view.put("scopes", scopes);
        if (purpose != null) {
            view.put("purpose", purpose);
        }
        view.put("status", status);
        view.put("grantedAt", grantedAt);
        view.put("expiresAt", expiresAt);
        if (endedAt != null) {
            view.put("endedAt", endedAt);
        }
        if (endReason != null) {
            view.put("endReason", endReason);
        }
        view.put("tokensIssued", tokensIssued);
        if (lastUsedAt != null) {
            view.put("lastUsedAt", lastUsedAt);
        }
        return view;
    }
}
