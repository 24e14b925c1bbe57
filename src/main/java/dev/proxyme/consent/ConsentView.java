package dev.proxyme.consent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.proxyme.clients.Agent;
import dev.proxyme.clients.ClientNames;
import dev.proxyme.model.Scopes;

/**
 * What the consent page shows, whichever way the agent asked (Proxyme's own request, or Keycloak's authorization and
 * device endpoints): the agent, the portal, each scope with its consent text (a step-up shows the union, the new ones
 * marked), the purpose, how long access lasts and how long each token lives. The template is {@value #TEMPLATE}.
 */
public final class ConsentView {

    public static final String TEMPLATE = "proxyme-consent.ftl";

    private ConsentView() {}

    public static Map<String, Object> of(
            RealmModel realm,
            Agent agent,
            ClientModel portal,
            String portalClientId,
            Scopes granted,
            Scopes requested,
            String purpose,
            long delegationSeconds,
            Map<String, Object> envelope) {
        List<Map<String, Object>> scopes = new ArrayList<>();
        for (String name : ScopeChoice.shown(granted, requested).names()) {
            scopes.add(Map.of(
                    "name",
                    name,
                    "text",
                    consentText(realm, name),
                    "isNew",
                    !granted.names().contains(name)));
        }
        Map<String, Object> view = new HashMap<>();
        view.put("view", "consent");
        view.put("agentName", ClientNames.displayName(agent.client()));
        view.put("agentClientId", agent.clientId());
        view.put("portalName", portal == null ? portalClientId : ClientNames.displayName(portal));
        view.put("portalClientId", portalClientId);
        view.put("scopes", scopes);
        // "Now asks for more" only when it does: asking again for what is granted is no step-up to the user.
        view.put("stepUp", !granted.isEmpty() && !granted.covers(requested));
        if (purpose != null) {
            view.put("purpose", purpose);
        }
        view.put("durationMinutes", delegationSeconds / 60);
        view.put("durationHours", delegationSeconds / 3600);
        view.put("durationInHours", delegationSeconds % 3600 == 0);
        view.put("tokenMinutes", Math.max(1, agent.tokenLifetimeSeconds() / 60));
        view.put("envelope", envelope);
        return view;
    }

    /**
     * What a result page sums up: the agent, the portal, and for an approval what the agent may now do there and
     * until when (epoch milliseconds); a refusal has no scopes and no end.
     */
    public static Map<String, Object> summary(
            RealmModel realm,
            Agent agent,
            ClientModel portal,
            String portalClientId,
            Scopes granted,
            Long untilMillis) {
        Map<String, Object> summary = new HashMap<>();
        summary.put("agentName", ClientNames.displayName(agent.client()));
        summary.put("portalName", portal == null ? portalClientId : ClientNames.displayName(portal));
        summary.put(
                "scopes",
                granted.names().stream().map(name -> consentText(realm, name)).toList());
        if (untilMillis != null) {
            summary.put("until", untilMillis);
        }
        return summary;
    }

    /** The scope's consent text as the realm's admin wrote it (a message key or words), its name when it has none. */
    private static String consentText(RealmModel realm, String name) {
        ClientScopeModel scope = KeycloakModelUtils.getClientScopeByName(realm, name);
        return scope == null
                        || scope.getConsentScreenText() == null
                        || scope.getConsentScreenText().isBlank()
                ? name
                : scope.getConsentScreenText();
    }
}
