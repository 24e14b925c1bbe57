package dev.proxyme.model;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DisplayTextTest {

    @Test
    void namesThatReadAsThemselvesArePlain() {
        for (String name : List.of(
                "Visual Studio Code",
                "Cursor <b>editor</b>",
                "Überweisungs-Assistent",
                "日本語",
                "a b",
                "Café",
                "नमस्ते",
                "e\u0301")) {
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
                " \u3164 ",
                "\u034f",
                "\ufe00",
                "\ufe0f",
                "\u17b4\u17b5",
                "\u180b",
                "\u0301\u0301",
                "\u20dd",
                " \u0301 ",
                "\ud834\udd59",
                "\ufffc")) {
            assertFalse(DisplayText.isPlain(name), () -> "U+" + Integer.toHexString(name.codePointAt(0)));
        }
    }
}
