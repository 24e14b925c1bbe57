package dev.proxyme.proxy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the activity log keeps of a path: everything but what looks like a secret, since capability links, reset links,
 * API keys and tokens put in paths would otherwise be kept for weeks and shown to the user and administrators. A
 * segment is replaced by {@value #REDACTED} when it follows a segment named like a secret ({@code /reset/<x>},
 * {@code /api-key/<x>}, {@code /share/<x>}, {@code /pin/<x>}), when it is {@code name=value}, {@code name:value} or
 * {@code name.value} with such a name (by its ending too: {@code reset-token.x}, unless what follows the dot reads as a
 * file's extension), when it is such a name glued to a value with digits ({@code otp483920}, {@code pin-4839}), when it
 * holds a JWT, a key in equal groups ({@code ABCD-EFGH-1234-5678}), 13 or more digits in groups (a card number), or when
 * it looks random: a run (between {@code - _ . ~}) of 13 or more characters mixing letters and digits (a UUID's longest
 * run is 12), of 16 or more letters switching case often, or of one case, mostly distinct, with four consonants in a
 * row, or of 16 or more digits. Each segment is judged decoded, as the portal reads it. Words, dates, numeric ids,
 * UUIDs and e-mail addresses stay: they say what the agent did, and to whom. A portal whose paths carry secrets of other shapes records route patterns only
 * ({@link ActivityPaths#ROUTES}).
 */
final class PathRedaction {

    static final String REDACTED = "[redacted]";
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}(\\.[A-Za-z0-9_-]*)?");
    private static final Pattern RUN_SEPARATORS = Pattern.compile("[-_.~]+");
    private static final Pattern DIGIT_GROUP_SEPARATORS = Pattern.compile("[-_. ]+");
    private static final Pattern FILE_EXTENSION = Pattern.compile("[A-Za-z0-9]{1,4}");
    private static final Pattern GROUPED_KEY = Pattern.compile("[A-Za-z0-9]{4,6}(-[A-Za-z0-9]{4,6}){3,}");
    private static final Pattern NAME_THEN_VALUE = Pattern.compile("([A-Za-z]+)[-_]?([A-Za-z0-9]*[0-9][A-Za-z0-9]*)");
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
            "recoverycode",
            "recoverycodes",
            "backupcode",
            "backupcodes",
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
            "codes",
            "pin",
            "otp",
            "hash",
            "jwt",
            "bearer");

    private PathRedaction() {}

    /**
     * The path with what looks like a secret replaced; the rest as it was. Each segment is judged as the portal reads
     * it: percent-decoded (also twice), split where it holds an encoded {@code /} or a {@code \\}; {@code .}, {@code ..}
     * and empty segments name nothing, so {@code /reset/./x} is {@code /reset/x}.
     */
    static String redact(String path) {
        String[] segments = path.split("/", -1);
        boolean afterSecretName = false;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            List<String> parts = readParts(segment);
            boolean secret = false;
            String keptName = null;
            for (String part : parts) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    continue;
                }
                int separator = nameValueSeparator(part);
                if (afterSecretName) {
                    secret = true;
                } else if (separator > 0 && isSecretNameBefore(part, separator)) {
                    secret = true;
                    keptName = parts.size() == 1 && part.equals(segment) ? part.substring(0, separator + 1) : null;
                } else if (looksSecret(part)) {
                    secret = true;
                }
                afterSecretName = isSecretName(part, true);
            }
            if (secret) {
                segments[i] = keptName == null ? REDACTED : keptName + REDACTED;
            }
        }
        return String.join("/", segments);
    }

    /** The segment as a portal reads it: decoded until it no longer changes (three times at most), split at slashes. */
    private static List<String> readParts(String segment) {
        String decoded = segment;
        for (int round = 0; round < 3 && decoded.indexOf('%') >= 0; round++) {
            String next = percentDecoded(decoded);
            if (next.equals(decoded)) {
                break;
            }
            decoded = next;
        }
        return List.of(decoded.split("[/\\\\]", -1));
    }

    private static String percentDecoded(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
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

    /**
     * Whether what comes before the separator names a secret: by its ending too, except before a dot followed by what
     * reads as a file's extension (where {@code monkey.png} is a file, not a key).
     */
    private static boolean isSecretNameBefore(String part, int separator) {
        String value = part.substring(separator + 1);
        boolean extension =
                part.charAt(separator) == '.' && FILE_EXTENSION.matcher(value).matches();
        return isSecretName(part.substring(0, separator), !extension);
    }

    /** A secret's name: exactly one of the names, or ending in one of the endings. */
    private static boolean isSecretName(String segment, boolean byEnding) {
        String name = RUN_SEPARATORS.matcher(segment.toLowerCase(Locale.ROOT)).replaceAll("");
        return SECRET_NAMES.contains(name)
                || byEnding && SECRET_NAME_ENDINGS.stream().anyMatch(name::endsWith);
    }

    /** A secret by its shape: a JWT, a name glued to its value ({@code otp483920}), a key in groups, a random run. */
    private static boolean looksSecret(String part) {
        if (JWT.matcher(part).find() || GROUPED_KEY.matcher(part).matches() && equalGroups(part)) {
            return true;
        }
        Matcher glued = NAME_THEN_VALUE.matcher(part);
        if (glued.matches()
                && glued.group(1).length() >= 3
                && glued.group(2).length() >= 4
                && SECRET_NAMES.contains(glued.group(1).toLowerCase(Locale.ROOT))) {
            return true;
        }
        String digitsOnly = DIGIT_GROUP_SEPARATORS.matcher(part).replaceAll("");
        return digitsOnly.length() >= 13 && digitsOnly.chars().allMatch(Character::isDigit) || looksRandom(part);
    }

    /** {@code ABCD-EFGH-1234-5678}: a licence or recovery key, its groups of one length, letters and digits mixed. */
    private static boolean equalGroups(String part) {
        String[] groups = part.split("-");
        boolean letters = part.chars().anyMatch(Character::isLetter);
        boolean digits = part.chars().anyMatch(Character::isDigit);
        return letters && digits && Arrays.stream(groups).allMatch(group -> group.length() == groups[0].length());
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
                || length >= 16 && letters == length && (caseSwitches >= length / 3 || looksRandomInOneCase(run))
                || length >= 16 && digits == length;
    }

    /**
     * Letters of one case drawn at random: most of them distinct and a run of four or more consonants, where even long
     * compound words repeat their letters ({@code internationalization}, {@code rechtsschutzversicherung}).
     */
    private static boolean looksRandomInOneCase(String run) {
        String lower = run.toLowerCase(Locale.ROOT);
        long distinct = lower.chars().distinct().count();
        int consonants = 0;
        int longestConsonants = 0;
        for (int i = 0; i < lower.length(); i++) {
            consonants = "aeiouy".indexOf(lower.charAt(i)) >= 0 ? 0 : consonants + 1;
            longestConsonants = Math.max(longestConsonants, consonants);
        }
        return distinct * 10 >= lower.length() * 6L && longestConsonants >= 4;
    }
}
