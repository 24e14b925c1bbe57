package dev.proxyme.consent;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * User codes a person types: 8 letters from a 20-letter alphabet without vowels or look-alikes (RFC 8628 section
 * 6.1), shown as {@code BDFG-HJKL}. 20^8 (about 2.6 * 10^10) codes, against at most a few attempts per minute from one
 * address while a request lives 10 minutes: guessing a live code is hopeless.
 */
public final class UserCodes {

    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private UserCodes() {}

    public static String generate() {
        StringBuilder code = new StringBuilder(LENGTH + 1);
        for (int i = 0; i < LENGTH; i++) {
            if (i == LENGTH / 2) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /**
     * The canonical form of what a person typed: case and separators ignored ({@code bdfg hjkl} = {@code BDFG-HJKL}).
     * Empty when it cannot be a code at all.
     */
    public static Optional<String> normalize(String typed) {
        if (typed == null || typed.length() > 32) {
            return Optional.empty();
        }
        StringBuilder letters = new StringBuilder(LENGTH);
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ') {
                continue;
            }
            if (ALPHABET.indexOf(c) < 0) {
                return Optional.empty();
            }
            letters.append(c);
        }
        if (letters.length() != LENGTH) {
            return Optional.empty();
        }
        return Optional.of(letters.substring(0, LENGTH / 2) + "-" + letters.substring(LENGTH / 2));
    }
}
