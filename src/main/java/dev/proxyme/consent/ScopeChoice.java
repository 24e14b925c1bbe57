package dev.proxyme.consent;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.core.MultivaluedMap;

import dev.proxyme.model.Scopes;
import dev.proxyme.model.StepUp;

/**
 * The scopes the user approves on the consent page: one checkbox per scope it shows (what the user granted already
 * and what the agent asks for now), all checked; the user may approve less, never more. A form without the boxes (a
 * template that has none: neither the marker nor a scope) approves every scope it showed.
 */
public final class ScopeChoice {

    /** The checkboxes' field: one value per scope approved. */
    static final String SCOPE_FIELD = "scope";
    /** Marks a form that offered the choice, so that no box checked is told from no boxes at all. */
    static final String OFFERED_FIELD = "scope_choice";

    private ScopeChoice() {}

    /** What the page shows: the union of the granted and the asked, each a checkbox. */
    public static Scopes shown(Scopes granted, Scopes asked) {
        return granted.union(asked);
    }

    public static Scopes shown(StepUp stepUp, Scopes asked) {
        return shown(stepUp.granted(), asked);
    }

    /**
     * The scopes the form approves, of those the page showed; empty when the user checked none. A scope the page did
     * not show is ignored: only the user's own boxes count.
     */
    public static Optional<Scopes> chosen(StepUp stepUp, Scopes asked, MultivaluedMap<String, String> form) {
        Scopes shown = shown(stepUp, asked);
        List<String> checked = form.get(SCOPE_FIELD) == null ? List.of() : form.get(SCOPE_FIELD);
        if (form.getFirst(OFFERED_FIELD) == null && checked.isEmpty()) {
            return Optional.of(shown);
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String name : shown.names()) {
            if (checked.contains(name)) {
                chosen.add(name);
            }
        }
        return chosen.isEmpty() ? Optional.empty() : Optional.of(Scopes.of(chosen));
    }

    /**
     * What the user checked, kept between the decision and the grant as {@link Scopes#toString()} (null: the whole of
     * it), of what approving shows by then: the agent or the user's other delegations may have changed meanwhile.
     */
    public static Scopes kept(String checked, StepUp stepUp, Scopes asked) {
        Scopes shown = shown(stepUp, asked);
        return checked == null ? shown : shown.intersection(Scopes.parse(checked));
    }
}
