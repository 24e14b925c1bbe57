package dev.proxyme.model;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DisplayTextTest {

    @Test
    void namesThatReadAsThemselvesArePlain() {
        for (String name :
                List.of("Visual Studio Code", "Cursor <b>editor</b>", "Überweisungs-Assistent", "日本語", "a b")) {
            assertTrue(DisplayText.isPlain(name), name);
        }
    }

    @Test
    void deceptiveOrBlankNamesAreNot() {
        for (String name : List.of(
                "a\u202eb",
                "a\u200bb",
                "a\nb",
                "a\u2028b",
                "\u3164\u3164",
                "\u2800",
                "\u115f\u1160",
                "\uffa0",
                "\u00a0",
                "\u3000",
                " \u3164 ")) {
            assertFalse(DisplayText.isPlain(name), () -> "U+" + Integer.toHexString(name.codePointAt(0)));
        }
    }
}
