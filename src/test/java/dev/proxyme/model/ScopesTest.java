package dev.proxyme.model;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScopesTest {

    @Test
    void parsesSpaceDelimitedScopesInOrderWithoutDuplicates() {
        assertEquals(
                List.of("read", "write"),
                List.copyOf(Scopes.parse("  read write  read ").names()));
        assertTrue(Scopes.parse(null).isEmpty());
        assertTrue(Scopes.parse("   ").isEmpty());
        assertEquals("read write", Scopes.of(List.of("read", "write", "read")).toString());
    }

    @Test
    void coversIsSubsetAndNamesWhatIsMissing() {
        Scopes granted = Scopes.parse("read write");
        assertTrue(granted.covers(Scopes.parse("write")));
        assertTrue(granted.covers(Scopes.parse("")));
        assertFalse(granted.covers(Scopes.parse("read admin")));
        assertEquals(Set.of("admin"), granted.missingFrom(Scopes.parse("read admin")));
        assertFalse(Scopes.parse("Read").covers(Scopes.parse("read")), "scope names are case-sensitive (RFC 6749 3.3)");
    }

    @Test
    void validNamesAreRfc6749ScopeTokens() {
        assertTrue(Scopes.isValidName("read"));
        assertTrue(Scopes.isValidName("urn:example:portal/read"));
        assertFalse(Scopes.isValidName(""));
        assertFalse(Scopes.isValidName("two words"));
        assertFalse(Scopes.isValidName("quote\"d"));
        assertFalse(Scopes.isValidName("back\\slash"));
        assertFalse(Scopes.isValidName("r\u00e9ad"));
        assertFalse(Scopes.isValidName("nul\u0000"));
        assertFalse(Scopes.isValidName(null));
    }
}
