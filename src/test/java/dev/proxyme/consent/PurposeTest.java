package dev.proxyme.consent;

import org.junit.jupiter.api.Test;

import dev.proxyme.ProxymeException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one rule for an agent's stated purpose: short text that reads as what it is. */
class PurposeTest {

    @Test
    void aPurposeIsStrippedTextOfAtMost200Characters() {
        assertEquals("Summarise invoices", Purpose.required("  Summarise invoices "));
        assertEquals("x".repeat(200), Purpose.optional("x".repeat(200)));
        assertThrows(ProxymeException.class, () -> Purpose.required("x".repeat(201)));
        assertThrows(ProxymeException.class, () -> Purpose.optional("x".repeat(201)));
    }

    @Test
    void textThatWouldDisplayAsSomethingElseIsRefused() {
        for (String deceptive :
                new String[] {"pay \u202Egnp.exe", "zero\u200Bwidth", "line\u2028break", "bell\u0007"}) {
            assertThrows(ProxymeException.class, () -> Purpose.required(deceptive), deceptive);
            assertThrows(ProxymeException.class, () -> Purpose.optional(deceptive), deceptive);
        }
    }

    @Test
    void onlyTheStandardFlowsMayGiveNone() {
        assertNull(Purpose.optional(null));
        assertNull(Purpose.optional("   "));
        assertThrows(ProxymeException.class, () -> Purpose.required(null));
    }
}
