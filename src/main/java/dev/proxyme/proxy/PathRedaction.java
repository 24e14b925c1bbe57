package dev.proxyme.proxy;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the activity log keeps of a path: everything but what looks like a secret, since capability links, reset links,
 * API keys and tokens put in paths would otherwise be kept for weeks and shown to the user and administrators. A
 * segment is replaced by {@value #REDACTED} when it follows a segment named like a secret ({@code /reset/<x>},
 * {@code /api-key/<x>}, {@code /share/<x>}, {@code /pin/<x>}), when it is {@code name=value}, {@code name:value} or
 * {@code name.value} with such a name, when it holds a JWT, or when it looks random: a run (between
 * {@code - _ . ~}) of 13 or more characters mixing letters and digits (a UUID's longest run is 12), of 16 or more letters switching case often, or
 * of 16 or more digits. Words, dates, numeric ids and UUIDs stay: they say what
 * the agent did. A portal whose paths carry secrets of other shapes records route patterns only
 * ({@link ActivityPaths#ROUTES}).
 */
final class PathRedaction {

    static final String REDACTED = "[redacted]";
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}(\\.[A-Za-z0-9_-]*)?");
    private static final Pattern RUN_SEPARATORS = Pattern.compile("[-_.~]+");
    /** Segment names (lower case, without separators) whose next segment is a secret. */
    private static final Set<String> SECRET_NAMES = Set.of(
            "token",
            "tokens",
            "key",
            "keys",
            "apikey",
            "apikeys",
            "accesskey",
            "privatekey",
            "secretkey",
            "signingkey",
            "secret",
            "secrets",
            "password",
            "passwords",
            "passwd",
            "pwd",
            "passcode",
            "pin",
            "pins",
            "otp",
            "code",
            "codes",
            "reset",
            "resetpassword",
            "passwordreset",
            "recovery",
            "invite",
            "invites",
            "invitation",
            "invitations",
            "magic",
            "magiclink",
            "share",
            "shared",
            "shares",
            "sharing",
            "signature",
            "sig",
            "hmac",
            "hash",
            "salt",
            "jwt",
            "jwts",
            "bearer",
            "confirm",
            "confirmation",
            "verify",
            "verification",
            "activate",
            "activation",
            "session",
            "sessions",
            "sessionid",
            "sid",
            "credential",
            "credentials",
            "auth",
            "nonce",
            "ticket",
            "tickets",
            "capability",
            "unsubscribe",
            "private",
            "s");
    /** Name endings that make a segment a secret's name: {@code reset-token}, {@code apiKey}, {@code share_secret}. */
    private static final Set<String> SECRET_NAME_ENDINGS = Set.of(
            "token",
            "apikey",
            "secret",
            "password",
            "passwd",
            "signature",
            "credential",
            "credentials",
            "sessionid",
            "code",
            "pin",
            "otp",
            "hash",
            "jwt",
            "bearer");

    private PathRedaction() {}

    /** The path with what looks like a secret replaced; the rest as it was. */
    static String redact(String path) {
        String[] segments = path.split("/", -1);
        boolean afterSecretName = false;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty()) {
                continue;
            }
            boolean secretName = isSecretName(segment);
            int separator = nameValueSeparator(segment);
            if (afterSecretName) {
                segments[i] = REDACTED;
            } else if (separator > 0
                    && isSecretName(segment.substring(0, separator), segment.charAt(separator) != '.')) {
                segments[i] = segment.substring(0, separator + 1) + REDACTED;
            } else if (looksRandom(segment) || JWT.matcher(segment).find()) {
                segments[i] = REDACTED;
            }
            afterSecretName = secretName && !afterSecretName;
        }
        return String.join("/", segments);
    }

    /** Where a {@code name=value}, {@code name:value} or {@code name.value} segment splits, or -1. */
    private static int nameValueSeparator(String segment) {
        for (int i = 1; i < segment.length() - 1; i++) {
            char c = segment.charAt(i);
            if (c == '=' || c == ':' || c == '.') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSecretName(String segment) {
        return isSecretName(segment, true);
    }

    /** A secret's name; by its ending too, except before a dot (where {@code monkey.png} is a file, not a key). */
    private static boolean isSecretName(String segment, boolean byEnding) {
        String name = RUN_SEPARATORS.matcher(segment.toLowerCase(Locale.ROOT)).replaceAll("");
        return SECRET_NAMES.contains(name)
                || byEnding && SECRET_NAME_ENDINGS.stream().anyMatch(name::endsWith);
    }

    private static boolean looksRandom(String segment) {
        for (String run : RUN_SEPARATORS.split(segment)) {
            if (looksRandomRun(run)) {
                return true;
            }
        }
        return false;
    }

    private static boolean looksRandomRun(String run) {
        int letters = 0;
        int digits = 0;
        int caseSwitches = 0;
        int previousCase = 0;
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            if (Character.isDigit(c)) {
                digits++;
            } else if (Character.isLetter(c)) {
                letters++;
                int letterCase = Character.isUpperCase(c) ? 1 : 2;
                caseSwitches += previousCase != 0 && previousCase != letterCase ? 1 : 0;
                previousCase = letterCase;
            }
        }
        int length = run.length();
        return length >= 13 && letters > 0 && digits > 0
                || length >= 16 && letters == length && caseSwitches >= length / 3
                || length >= 16 && digits == length;
    }
}
