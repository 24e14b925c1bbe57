package dev.proxyme.consent;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.MultivaluedHashMap;

import org.junit.jupiter.api.Test;

import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.model.StepUp;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScopeChoiceTest {

    private static final StepUp FIRST = new StepUp(Envelope.NONE, List.of());
    private static final Scopes ASKED = Scopes.of(List.of("read", "write"));

    @Test
    void whatStaysCheckedIsApproved() {
        assertEquals(Optional.of(Scopes.of(List.of("read"))), ScopeChoice.chosen(FIRST, ASKED, form("read")));
        assertEquals(Optional.of(ASKED), ScopeChoice.chosen(FIRST, ASKED, form("write", "read")));
    }

    @Test
    void aScopeThePageDidNotShowIsIgnoredAndNothingCheckedIsNothing() {
        assertEquals(Optional.of(Scopes.of(List.of("read"))), ScopeChoice.chosen(FIRST, ASKED, form("read", "admin")));
        assertEquals(Optional.empty(), ScopeChoice.chosen(FIRST, ASKED, form("admin")));
        assertEquals(Optional.empty(), ScopeChoice.chosen(FIRST, ASKED, form()));
    }

    @Test
    void aFormWithoutTheBoxesApprovesWhatThePageShowed() {
        assertEquals(Optional.of(ASKED), ScopeChoice.chosen(FIRST, ASKED, new MultivaluedHashMap<>()));
        MultivaluedHashMap<String, String> withoutMarker = new MultivaluedHashMap<>();
        withoutMarker.add(ScopeChoice.SCOPE_FIELD, "read");
        assertEquals(
                Optional.of(Scopes.of(List.of("read"))),
                ScopeChoice.chosen(FIRST, ASKED, withoutMarker),
                "boxes without the marker still count");
    }

    private static MultivaluedHashMap<String, String> form(String... checked) {
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.add(ScopeChoice.OFFERED_FIELD, "1");
        for (String scope : checked) {
            form.add(ScopeChoice.SCOPE_FIELD, scope);
        }
        return form;
    }
}
