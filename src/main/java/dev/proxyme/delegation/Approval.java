package dev.proxyme.delegation;

import org.keycloak.models.UserModel;

import dev.proxyme.clients.Agent;
import dev.proxyme.clients.AgentTerms.Terms;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.model.StepUp;

/**
 * What a user approved on a consent page, whichever way the agent asked: the request's terms, the step-up it is (read
 * once, for the page and for the grant alike) and the envelope the user chose from what the page proposed.
 *
 * @param chosen         the scopes the user approved, of those the page showed (see {@code ScopeChoice})
 * @param loginSessionId the Keycloak login session the user approved in, or null
 * @param grantFlow      the standard flow the approval ends ({@code Delegation.AUTHORIZATION_CODE_FLOW} or
 *                       {@code DEVICE_FLOW}), or null for the JSON operations' requests
 */
public record Approval(
        UserModel user,
        Agent agent,
        Terms terms,
        String purpose,
        String loginSessionId,
        String grantFlow,
        StepUp stepUp,
        Envelope envelope,
        Scopes chosen) {

    /** The new delegation's scopes: what the user checked of what the page showed (what was granted and is asked). */
    public Scopes scopes() {
        return chosen;
    }
}
