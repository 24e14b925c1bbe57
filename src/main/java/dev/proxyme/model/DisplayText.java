package dev.proxyme.model;

/**
 * Text an agent supplies that a person reads (its purpose, its name): it must read as what it is. Control characters,
 * Unicode format characters (bidirectional overrides such as U+202E, zero-width characters), line and paragraph
 * separators, private-use, unassigned and surrogate code points let a short string display as another one.
 */
public final class DisplayText {

    private DisplayText() {}

    /** No deceptive character, and something to see when there is anything at all (a blank name reads as none). */
    public static boolean isPlain(String text) {
        return text.codePoints().noneMatch(DisplayText::isDeceptive)
                && (text.isEmpty() || text.codePoints().anyMatch(DisplayText::isVisible));
    }

    /**
     * Letters that render as nothing: the Hangul fillers, the blank Braille pattern, the null notehead and the object
     * replacement character are letters or symbols to Unicode, not spaces, so a name of them alone reads as blank. Marks (combining accents, variation selectors, the
     * combining grapheme joiner, Mongolian free variation selectors) render only on what they follow, so a name of
     * marks alone reads as blank too.
     */
    private static final java.util.Set<Integer> INVISIBLE =
            java.util.Set.of(0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x1D159, 0xFFFC);

    private static boolean isVisible(int codePoint) {
        return !Character.isWhitespace(codePoint)
                && Character.getType(codePoint) != Character.SPACE_SEPARATOR
                && !INVISIBLE.contains(codePoint)
                && !isMark(codePoint);
    }

    private static boolean isMark(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    private static boolean isDeceptive(int codePoint) {
        if (Character.isISOControl(codePoint)) {
            return true;
        }
        return switch (Character.getType(codePoint)) {
            case Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED,
                    Character.SURROGATE -> true;
            default -> false;
        };
    }
}
