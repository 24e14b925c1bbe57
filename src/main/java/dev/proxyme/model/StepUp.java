package dev.proxyme.model;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An approval's relation to what the user already delegated to the agent for the portal: the delegations it would
 * replace, and what the agent proposes now. The one computation of a step-up, read by the consent page (what it shows
 * and lets the user narrow) and by the grant (what it replaces, keeps and counts again), so that both always agree.
 *
 * <p>A step-up that proposes no envelope keeps what is left of the replaced delegations' limits: the remaining budget,
 * the routes, a window not yet ended; of several, the tightest of each part. A budget used up stays used up (0) and
 * an ended window stays ended: more takes an envelope the agent proposes, which then replaces them.
 *
 * @param asked    the envelope the agent proposes now ({@link Envelope#NONE}: none)
 * @param replaced the user's active delegations to the agent for the portal, which the approval replaces
 */
public record StepUp(Envelope asked, List<Delegation> replaced) {

    public StepUp {
        replaced = List.copyOf(replaced);
    }

    /** Whether the user already delegated something to the agent for the portal. */
    /** The delegations it replaces, as one value (their ids, sorted): what a page showed, to compare with later. */
    public String replacedIds() {
        return replaced.stream().map(Delegation::id).sorted().collect(java.util.stream.Collectors.joining(" "));
    }

    public boolean isStepUp() {
        return !replaced.isEmpty();
    }

    /** What the replaced delegations grant together: the page shows it, and the new delegation covers it too. */
    public Scopes granted() {
        Set<String> granted = new LinkedHashSet<>();
        replaced.forEach(delegation -> granted.addAll(delegation.scopes().names()));
        return Scopes.of(granted);
    }

    /** Whether the approval keeps what is left of the replaced delegations' limits (the agent proposes none). */
    public boolean keepsLimits() {
        return asked.isEmpty() && replacedHaveLimits();
    }

    /** Whether the agent's new envelope replaces limits the current access has. */
    public boolean replacesLimits() {
        return !asked.isEmpty() && replacedHaveLimits();
    }

    private boolean replacedHaveLimits() {
        return replaced.stream().anyMatch(delegation -> !delegation.envelope().isEmpty());
    }

    /**
     * What the page proposes: the agent's envelope, or on a step-up that proposes none what is left of the limits it
     * replaces.
     *
     * @throws IllegalArgumentException when the replaced delegations allow no route in common, so that none of them
     *     can be kept: an envelope without routes would allow every one
     */
    public Envelope proposal() {
        if (!keepsLimits()) {
            return asked;
        }
        Integer budget = null;
        Long notBefore = null;
        Long notAfter = null;
        List<String> routes = null;
        for (Delegation delegation : replaced) {
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
                    throw new IllegalArgumentException("The agent's current accesses to this portal allow no route in"
                            + " common: it must ask with an envelope of its own");
                }
            }
        }
        return new Envelope(budget, routes, notBefore, notAfter);
    }

    /** Whether the replaced delegations' limits cannot be kept together (see {@link #proposal()}). */
    public boolean hasConflict() {
        try {
            proposal();
            return false;
        } catch (IllegalArgumentException conflict) {
            return true;
        }
    }

    /** The replaced delegation with the least budget left: the page says how much of it was used. */
    public Optional<Delegation> tightestBudget() {
        return replaced.stream()
                .filter(delegation -> delegation.envelope().budget() != null)
                .min(Comparator.comparingInt(delegation -> delegation.envelope().budget() - delegation.callsUsed()));
    }

    /** The DPoP key the replaced access was bound to, which binds the new one: a step-up never loses the binding. */
    public String boundKey() {
        return replaced.stream()
                .map(Delegation::dpopJkt)
                .filter(key -> key != null)
                .findFirst()
                .orElse(null);
    }

    /**
     * The approved envelope counted again once the replaced delegations have ended (as {@code ended}, their last
     * state): calls made while the user decided come off a kept budget.
     */
    public Envelope recounted(Envelope approved, List<Delegation> ended) {
        if (!asked.isEmpty() || approved.budget() == null) {
            return approved;
        }
        Envelope counted = approved;
        for (Delegation delegation : ended) {
            Integer budget = delegation.envelope().budget();
            if (budget != null) {
                counted = counted.withBudget(Math.min(counted.budget(), Math.max(0, budget - delegation.callsUsed())));
            }
        }
        return counted;
    }
}
