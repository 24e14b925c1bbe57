package dev.proxyme.consent;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserCodesTest {

    @Test
    void generatedCodesAreTypableAndVaried() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String code = UserCodes.generate();
            assertTrue(code.matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"), code);
            assertEquals(Optional.of(code), UserCodes.normalize(code));
            seen.add(code);
        }
        assertTrue(seen.size() > 1990, "2000 codes out of 2.6e10 barely ever collide");
    }

    @Test
    void normalizesWhatPeopleType() {
        assertEquals(Optional.of("BDFG-HJKL"), UserCodes.normalize("bdfg hjkl"));
        assertEquals(Optional.of("BDFG-HJKL"), UserCodes.normalize("BDFGHJKL"));
        assertEquals(Optional.of("BDFG-HJKL"), UserCodes.normalize(" bdfg-hjkl "));
    }

    @Test
    void refusesWhatCannotBeACode() {
        assertEquals(Optional.empty(), UserCodes.normalize(null));
        assertEquals(Optional.empty(), UserCodes.normalize(""));
        assertEquals(Optional.empty(), UserCodes.normalize("BDFG-HJK"));
        assertEquals(Optional.empty(), UserCodes.normalize("BDFG-HJKLM"));
        assertEquals(Optional.empty(), UserCodes.normalize("ABCD-EFGH"), "vowels are not in the alphabet");
        assertEquals(Optional.empty(), UserCodes.normalize("BDFG-HJK1"));
        assertEquals(Optional.empty(), UserCodes.normalize("B".repeat(40)));
    }
}
