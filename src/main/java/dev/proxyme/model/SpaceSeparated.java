package dev.proxyme.model;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** Lists written as space-separated words (client attributes, scope strings): the words in order, each once. */
public final class SpaceSeparated {

    private SpaceSeparated() {}

    /** The words of the text; blanks between them are ignored, null is no word. */
    public static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        if (text != null) {
            for (String word : text.trim().split(" +")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return Collections.unmodifiableSet(words);
    }
}
