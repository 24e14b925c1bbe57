package dev.proxyme.proxy;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the activity log keeps of a path: everything but what looks like a secret, since capability links, reset links,
 * API keys and tokens put in paths would otherwise be kept for weeks and shown to the user and administrators. A
 * segment is replaced by {@value #REDACTED} when it follows a segment named like a secret ({@code /reset/<x>},
 * {@code /api-key/<x>}, {@code /share/<x>}), when it is {@code name=value} with such a name, when it holds a JWT, or
 * when it looks random: a run (between {@code - _ . ~}) of 16 or more characters mixing letters and digits, of 24 or
 * more letters switching case often, or of 20 or more digits. Words, dates, numeric ids and UUIDs stay: they say what
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
            "secret",
            "secrets",
            "password",
            "passwords",
            "passwd",
            "pwd",
            "reset",
            "resetpassword",
            "passwordreset",
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
            "otp",
            "code",
            "codes",
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
            "hmac",
            "capability",
            "unsubscribe",
            "s");
    /** Name endings that make a segment a secret's name: {@code reset-token}, {@code apiKey}, {@code share_secret}. */
    private static final Set<String> SECRET_NAME_ENDINGS = Set.of(
            "token", "apikey", "secret", "password", "passwd", "signature", "credential", "credentials", "sessionid");

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
            int equals = segment.indexOf('=');
            if (afterSecretName) {
                segments[i] = REDACTED;
            } else if (equals > 0 && isSecretName(segment.substring(0, equals))) {
                segments[i] = segment.substring(0, equals + 1) + REDACTED;
            } else if (looksRandom(segment) || JWT.matcher(segment).find()) {
                segments[i] = REDACTED;
            }
            afterSecretName = secretName && !afterSecretName;
        }
        return String.join("/", segments);
    }

    private static boolean isSecretName(String segment) {
        String name = RUN_SEPARATORS.matcher(segment.toLowerCase(Locale.ROOT)).replaceAll("");
        return SECRET_NAMES.contains(name) || SECRET_NAME_ENDINGS.stream().anyMatch(name::endsWith);
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
        return length >= 16 && letters > 0 && digits > 0
                || length >= 24 && letters == length && caseSwitches >= length / 4
                || length >= 20 && digits == length;
    }
}
