package dev.proxyme.consent;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Envelope;

/**
 * The task envelope on the consent page: what the agent proposed, shown as it will be enforced, and what the user
 * made of it. The user may only narrow it (a smaller budget, fewer routes, a window that ends sooner; a budget or an end
 * where the agent proposed none). What the page submits is exactly what the proxy then enforces.
 */
final class EnvelopeForm {

    static final String BUDGET_FIELD = "envelope_budget";
    static final String ROUTE_FIELD = "envelope_route";
    static final String MINUTES_FIELD = "envelope_minutes";

    /** A year: longer than any delegation, so the delegation's own end is the real bound. */
    private static final long MAX_MINUTES = 366L * 24 * 60;

    private EnvelopeForm() {}

    /**
     * What the page proposes: the agent's envelope; on a step-up that proposes none, what is left of the limits of the
     * access it replaces (the remaining budget, the routes, a window not yet ended), so that asking for another scope
     * never lifts them unseen.
     */
    static Envelope proposal(Envelope asked, List<Delegation> replaced) {
        if (!asked.isEmpty()) {
            return asked;
        }
        List<Delegation> limited = replaced.stream()
                .filter(delegation -> !delegation.envelope().isEmpty())
                .toList();
        if (limited.isEmpty()) {
            return asked;
        }
        // Of several replaced delegations (a backend's among them), the tightest of each part, so that none is lifted.
        Integer budget = null;
        Long notBefore = null;
        Long notAfter = null;
        List<String> routes = null;
        for (Delegation delegation : limited) {
            Envelope limits = delegation.envelope();
            if (limits.budget() != null) {
                int left = Math.max(0, limits.budget() - delegation.callsUsed());
                budget = budget == null ? left : Math.min(budget, left);
            }
            if (limits.notBefore() != null) {
                notBefore = notBefore == null ? limits.notBefore() : Math.max(notBefore, limits.notBefore());
            }
            if (limits.notAfter() != null) {
                notAfter = notAfter == null ? limits.notAfter() : Math.min(notAfter, limits.notAfter());
            }
            if (!limits.routes().isEmpty()) {
                routes = routes == null
                        ? limits.routes()
                        : routes.stream().filter(limits.routes()::contains).toList();
                if (routes.isEmpty()) {
                    // No route is allowed by all of them, and an envelope without routes would allow every one.
                    throw ProxymeException.badRequest(
                            OAuthErrorException.INVALID_REQUEST,
                            "The agent's current accesses"
                                    + " to this portal allow no route in common: it must ask with an envelope of its own");
                }
            }
        }
        // A budget used up stays used up (0) and an ended window stays ended: more needs the agent to ask for it.
        return new Envelope(budget, routes, notBefore, notAfter);
    }

    /** The envelope the user approved; a form asking for more than the page proposed is refused. */
    static Envelope approved(Envelope asked, List<Delegation> replaced, MultivaluedMap<String, String> form) {
        Envelope proposed = proposal(asked, replaced);
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
     * whether its limits are kept or replaced by the agent's new ones.
     */
    static Map<String, Object> view(Envelope asked, List<Delegation> replaced) {
        Map<String, Object> view = new HashMap<>();
        Envelope proposed;
        try {
            proposed = proposal(asked, replaced);
        } catch (ProxymeException noCommonRoute) {
            // Shown, and an approval refused: the page never offers less than it would enforce.
            view.put("conflict", true);
            proposed = asked;
        }
        boolean replacedHadLimits =
                replaced.stream().anyMatch(delegation -> !delegation.envelope().isEmpty());
        if (replacedHadLimits && !view.containsKey("conflict")) {
            view.put(asked.isEmpty() ? "kept" : "replaces", true);
        }
        if (proposed.budget() != null) {
            view.put("budget", proposed.budget());
        }
        view.put("routes", proposed.routes());
        if (proposed.notBefore() != null) {
            view.put("notBefore", proposed.notBefore() * 1000);
        }
        if (proposed.notAfter() != null) {
            view.put("notAfter", proposed.notAfter() * 1000);
            // The most the user may keep, rounded down: a window can only end sooner than the agent asked.
            view.put("minutesLeft", Math.max(1, (proposed.notAfter() - Time.currentTime()) / 60));
        }
        replaced.stream()
                .filter(delegation -> delegation.envelope().budget() != null)
                .min(Comparator.comparingInt(delegation -> delegation.envelope().budget() - delegation.callsUsed()))
                .ifPresent(previous -> {
                    view.put("previousUsed", previous.callsUsed());
                    view.put("previousBudget", previous.envelope().budget());
                });
        return view;
    }
}
