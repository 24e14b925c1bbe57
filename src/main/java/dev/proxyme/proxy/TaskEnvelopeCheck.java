package dev.proxyme.proxy;

import java.util.Set;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.proxyme.model.Envelope;
import dev.proxyme.store.DelegationProvider;
import dev.proxyme.token.DelegationTokenVerifier.VerifiedToken;

/**
 * The delegation's task envelope, after every other check: the window, the routes, and last the budget, so that only
 * calls that pass count. The budget is counted on the delegation's row in one atomic update, so that of concurrent
 * calls on any number of nodes exactly the budget passes. A refusal is a 403 the agent can step up from: it asks its
 * user again, and the consent page shows what was used.
 */
final class TaskEnvelopeCheck {

    private TaskEnvelopeCheck() {}

    static void check(
            KeycloakSession session,
            RealmModel realm,
            VerifiedToken valid,
            Set<String> scopes,
            ForwardedRequest request,
            Challenges challenges) {
        Envelope envelope = valid.delegation().envelope();
        if (envelope.isEmpty()) {
            return;
        }
        if (!envelope.isOpenAt(Time.currentTime())) {
            throw challenges.insufficientScope("The delegation's time window is closed", scopes);
        }
        if (!envelope.routes().isEmpty() && !EnvelopeRoutes.allow(envelope, request.method(), request.uri())) {
            throw challenges.insufficientScope("The delegation's envelope does not include this route", scopes);
        }
        Integer budget = envelope.budget();
        if (budget != null
                && !session.getProvider(DelegationProvider.class)
                        .consumeCall(realm, valid.delegation().id(), budget)) {
            throw challenges.insufficientScope(
                    "The delegation's call budget is used up (" + budget + " of " + budget + "): ask the user for more",
                    scopes);
        }
    }
}
