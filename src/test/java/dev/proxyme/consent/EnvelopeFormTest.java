package dev.proxyme.consent;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedHashMap;

import org.junit.jupiter.api.Test;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.Actor;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.DelegationStatus;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.model.StepUp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A step-up's envelope: what the page proposes when the agent proposes none, and what the form can make of it. */
class EnvelopeFormTest {

    private static Delegation limitedBy(Envelope envelope, int callsUsed) {
        return Delegation.builder()
                .id("d")
                .realmId("realm")
                .userId("user")
                .agentClientId("agent")
                .portalClientId("portal")
                .scopes(Scopes.parse("read"))
                .status(DelegationStatus.ACTIVE)
                .createdAt(0)
                .expiresAt(1)
                .grantedBy(Actor.user("user"))
                .purpose("purpose")
                .envelope(envelope)
                .callsUsed(callsUsed)
                .build();
    }

    @Test
    void anEnvelopeTheAgentProposesIsTheProposal() {
        Envelope asked = Envelope.of(9, List.of(), null, null);
        assertSame(
                asked,
                EnvelopeForm.proposal(new StepUp(asked, List.of(limitedBy(Envelope.of(2, List.of(), null, null), 0)))));
    }

    @Test
    void withoutOneWhatIsLeftOfTheReplacedLimitsIsKeptAndNothingUsedUpComesBack() {
        Envelope left = EnvelopeForm.proposal(new StepUp(
                Envelope.NONE, List.of(limitedBy(Envelope.of(5, List.of("GET /a/*"), null, 100L), 2))));
        assertEquals(new Envelope(3, List.of("GET /a/*"), null, 100L), left);
        Envelope usedUp = EnvelopeForm.proposal(new StepUp(
                Envelope.NONE, List.of(limitedBy(Envelope.of(5, List.of(), null, 1L), 5))));
        assertEquals(Integer.valueOf(0), usedUp.budget(), "a used-up budget stays used up");
        assertEquals(Long.valueOf(1), usedUp.notAfter(), "an ended window stays ended");
    }

    @Test
    void ofSeveralReplacedTheTightestOfEachPart() {
        Envelope kept = EnvelopeForm.proposal(new StepUp(
                Envelope.NONE,
                List.of(
                        limitedBy(Envelope.of(10, List.of("GET /a/*", "GET /b/*"), 10L, 500L), 1),
                        limitedBy(Envelope.of(4, List.of("GET /b/*"), 20L, 900L), 0),
                        limitedBy(Envelope.of(null, List.of(), null, null), 0))));
        assertEquals(new Envelope(4, List.of("GET /b/*"), 20L, 500L), kept);
    }

    @Test
    void replacedDelegationsWithNoRouteInCommonCannotBeKeptAsOne() {
        List<Delegation> disjoint = List.of(
                limitedBy(Envelope.of(10, List.of("GET /a/*"), null, null), 0),
                limitedBy(Envelope.of(50, List.of("GET /b/*"), null, null), 0));
        assertThrows(ProxymeException.class, () -> EnvelopeForm.proposal(new StepUp(Envelope.NONE, disjoint)));
        Map<String, Object> view = EnvelopeForm.view(new StepUp(Envelope.NONE, disjoint), null);
        assertEquals(Boolean.TRUE, view.get("conflict"));
        assertEquals(Boolean.TRUE, view.get("open"), "a conflict is shown unfolded");
        assertThrows(
                ProxymeException.class,
                () -> EnvelopeForm.approved(new StepUp(Envelope.NONE, disjoint), new MultivaluedHashMap<>()));
    }

    @Test
    void limitsAreFoldedOnlyWhenNobodyProposedAny() {
        assertEquals(
                Boolean.FALSE,
                EnvelopeForm.view(new StepUp(Envelope.NONE, List.of()), null).get("open"));
        assertEquals(
                Boolean.TRUE,
                EnvelopeForm.view(new StepUp(Envelope.of(5, List.of(), null, null), List.of()), null)
                        .get("open"));
        assertEquals(
                Boolean.TRUE,
                EnvelopeForm.view(
                                new StepUp(
                                        Envelope.NONE,
                                        List.of(limitedBy(Envelope.of(5, List.of("GET /a/*"), null, null), 2))),
                                null)
                        .get("open"),
                "limits kept from the current access are shown");
    }

    @Test
    void theFormCannotAddToAUsedUpBudget() {
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.add(EnvelopeForm.BUDGET_FIELD, "50");
        Envelope approved = EnvelopeForm.approved(
                new StepUp(Envelope.NONE, List.of(limitedBy(Envelope.of(5, List.of(), null, null), 5))), form);
        assertEquals(Integer.valueOf(0), approved.budget());
    }
}
