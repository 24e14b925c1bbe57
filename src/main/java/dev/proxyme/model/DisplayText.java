package dev.proxyme.model;

/**
 * Text an agent supplies that a person reads (its purpose, its name): it must read as what it is. Control characters,
 * Unicode format characters (bidirectional overrides such as U+202E, zero-width characters), line and paragraph
 * separators, private-use, unassigned and surrogate code points let a short string display as another one.
 */
public final class DisplayText {

    private DisplayText() {}

    public static boolean isPlain(String text) {
        return text.codePoints().noneMatch(DisplayText::isDeceptive);
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
