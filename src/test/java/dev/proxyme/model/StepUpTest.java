package dev.proxyme.model;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A step-up, computed once for the consent page and the grant alike. */
class StepUpTest {

    private static Delegation current(String scopes, Envelope envelope, int callsUsed, String boundKey) {
        return Delegation.builder()
                .id("d-" + scopes)
                .scopes(Scopes.parse(scopes))
                .envelope(envelope)
                .callsUsed(callsUsed)
                .dpopJkt(boundKey)
                .build();
    }

    @Test
    void aFirstApprovalIsNoStepUp() {
        StepUp first = new StepUp(Envelope.NONE, List.of());
        assertFalse(first.isStepUp());
        assertTrue(first.granted().isEmpty());
        assertSame(Envelope.NONE, first.proposal());
        assertNull(first.boundKey());
    }

    @Test
    void theNewDelegationCoversWhatWasGrantedAndKeepsTheKey() {
        StepUp stepUp = new StepUp(
                Envelope.NONE,
                List.of(current("read", Envelope.NONE, 0, null), current("write", Envelope.NONE, 0, "jkt")));
        assertEquals(Scopes.parse("read write"), stepUp.granted());
        assertEquals("jkt", stepUp.boundKey(), "a step-up never yields tokens without the key");
        assertFalse(stepUp.keepsLimits() || stepUp.replacesLimits(), "no limits to keep or replace");
    }

    @Test
    void callsMadeWhileTheUserDecidedComeOffAKeptBudget() {
        Delegation limited = current("read", Envelope.of(10, List.of(), null, null), 4, null);
        StepUp stepUp = new StepUp(Envelope.NONE, List.of(limited));
        assertTrue(stepUp.keepsLimits());
        assertEquals(Integer.valueOf(6), stepUp.proposal().budget());
        Delegation endedLater = limited.toBuilder().callsUsed(7).build();
        assertEquals(
                Integer.valueOf(3),
                stepUp.recounted(stepUp.proposal(), List.of(endedLater)).budget());
    }

    @Test
    void anEnvelopeTheAgentProposesReplacesTheLimitsAndIsNotRecounted() {
        Delegation limited = current("read", Envelope.of(10, List.of(), null, null), 4, null);
        Envelope asked = Envelope.of(50, List.of(), null, null);
        StepUp stepUp = new StepUp(asked, List.of(limited));
        assertTrue(stepUp.replacesLimits());
        assertSame(asked, stepUp.proposal());
        assertEquals(
                Integer.valueOf(50),
                stepUp.recounted(
                                asked, List.of(limited.toBuilder().callsUsed(10).build()))
                        .budget());
    }

    @Test
    void theReplacedDelegationWithTheLeastLeftIsTheOneThePageNames() {
        Delegation roomy = current("read", Envelope.of(100, List.of(), null, null), 10, null);
        Delegation tight = current("write", Envelope.of(5, List.of(), null, null), 4, null);
        assertEquals(
                tight,
                new StepUp(Envelope.NONE, List.of(roomy, tight))
                        .tightestBudget()
                        .orElseThrow());
    }

    @Test
    void noRouteInCommonIsAConflictThePageShows() {
        StepUp disjoint = new StepUp(
                Envelope.NONE,
                List.of(
                        current("read", Envelope.of(null, List.of("GET /a/*"), null, null), 0, null),
                        current("write", Envelope.of(null, List.of("GET /b/*"), null, null), 0, null)));
        assertTrue(disjoint.hasConflict());
    }
}
