package dev.proxyme.consent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.StepUp;

/**
 * The task envelope on the consent page: what the agent proposed, shown as it will be enforced, and what the user
 * made of it. The user may only narrow it (a smaller budget, fewer routes, a window that ends sooner; a budget or an end
 * where the agent proposed none). What the page submits is exactly what the proxy then enforces.
 */
public final class EnvelopeForm {

    static final String BUDGET_FIELD = "envelope_budget";
    static final String ROUTE_FIELD = "envelope_route";
    static final String MINUTES_FIELD = "envelope_minutes";

    /** A year: longer than any delegation, so the delegation's own end is the real bound. */
    private static final long MAX_MINUTES = 366L * 24 * 60;

    private EnvelopeForm() {}

    /** What the page proposes (see {@link StepUp#proposal()}), refused as a request when nothing can be kept. */
    public static Envelope proposal(StepUp stepUp) {
        try {
            return stepUp.proposal();
        } catch (IllegalArgumentException noCommonRoute) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, noCommonRoute.getMessage());
        }
    }

    /** The envelope the user approved; a form asking for more than the page proposed is refused. */
    public static Envelope approved(StepUp stepUp, MultivaluedMap<String, String> form) {
        Envelope proposed = proposal(stepUp);
        String budgetText = form.getFirst(BUDGET_FIELD);
        Integer budget;
        if (Integer.valueOf(0).equals(proposed.budget())) {
            budget = null;
        } else if (budgetText == null || budgetText.isBlank()) {
            budget = proposed.budget();
        } else {
            try {
                budget = Integer.valueOf(budgetText.strip());
            } catch (NumberFormatException notANumber) {
                throw ProxymeException.badRequest(
                        OAuthErrorException.INVALID_REQUEST, "The call limit must be a number");
            }
        }
        List<String> routes = proposed.routes().isEmpty()
                ? List.of()
                : form.get(ROUTE_FIELD) == null ? List.of() : form.get(ROUTE_FIELD);
        if (!proposed.routes().isEmpty() && routes.isEmpty()) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST, "Keep at least one of the routes, or deny");
        }
        Long notAfter = proposed.notAfter();
        String minutesText = form.getFirst(MINUTES_FIELD);
        if (minutesText != null && !minutesText.isBlank()) {
            long minutes;
            try {
                minutes = Long.parseLong(minutesText.strip());
            } catch (NumberFormatException notANumber) {
                throw ProxymeException.badRequest(
                        OAuthErrorException.INVALID_REQUEST, "The number of minutes must be a number");
            }
            if (minutes < 1 || minutes > MAX_MINUTES) {
                throw ProxymeException.badRequest(
                        OAuthErrorException.INVALID_REQUEST, "The number of minutes must be 1 to " + MAX_MINUTES);
            }
            // Whichever comes first: the user's end or the agent's (the page took time to fill in).
            long userEnd = Time.currentTime() + minutes * 60;
            notAfter = notAfter == null ? userEnd : Math.min(notAfter, userEnd);
        }
        Envelope chosen;
        try {
            chosen = Envelope.of(budget, routes, proposed.notBefore(), notAfter);
            if (Integer.valueOf(0).equals(proposed.budget())) {
                // Kept from a replaced access that used its whole budget: nothing on the page can add to it.
                chosen = new Envelope(0, chosen.routes(), chosen.notBefore(), chosen.notAfter());
            }
        } catch (IllegalArgumentException invalid) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, invalid.getMessage());
        }
        if (!chosen.isWithin(proposed)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST, "The page may only narrow what the agent asked for");
        }
        return chosen;
    }

    /**
     * The page's view: the proposal, and on a step-up what the delegation it replaces has used of its budget, and
     * whether its limits are kept or replaced by the agent's new ones. The routes are in {@link RouteWords}.
     */
    public static Map<String, Object> view(StepUp stepUp, ClientModel portal) {
        Map<String, Object> view = new HashMap<>();
        Envelope proposed;
        if (stepUp.hasConflict()) {
            // Shown, and an approval refused: the page never offers less than it would enforce.
            view.put("conflict", true);
            proposed = stepUp.asked();
        } else {
            proposed = stepUp.proposal();
            if (stepUp.keepsLimits()) {
                view.put("kept", true);
            } else if (stepUp.replacesLimits()) {
                view.put("replaces", true);
            }
        }
        if (proposed.budget() != null) {
            view.put("budget", proposed.budget());
        }
        view.put("routes", RouteWords.of(portal, proposed.routes()));
        if (proposed.notBefore() != null) {
            view.put("notBefore", proposed.notBefore() * 1000);
        }
        if (proposed.notAfter() != null) {
            view.put("notAfter", proposed.notAfter() * 1000);
            // The most the user may keep, rounded down: a window can only end sooner than the agent asked.
            view.put("minutesLeft", Math.max(1, (proposed.notAfter() - Time.currentTime()) / 60));
        }
        stepUp.tightestBudget().ifPresent(previous -> {
            view.put("previousUsed", previous.callsUsed());
            view.put("previousBudget", previous.envelope().budget());
        });
        // Folded until used: open when there is something to read or to narrow, not for an envelope nobody proposed.
        view.put(
                "open",
                !proposed.isEmpty()
                        || view.containsKey("conflict")
                        || view.containsKey("replaces")
                        || view.containsKey("previousBudget"));
        return view;
    }
}
