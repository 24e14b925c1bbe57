package dev.proxyme.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one form of a request path that route rules are matched against: the path of the URI the proxy saw (query
 * dropped), percent-decoded exactly once as UTF-8 (RFC 3986 section 2.1, 2.5).
 *
 * <p>A proxy forwards the raw path and the portal decodes it again; any path that a portal, its framework or its file
 * system could read as something else than this form has no canonical form, and is refused: escapes left after the
 * one decoding ({@code %2561}), path parameters ({@code ;x=1}, RFC 3986 section 3.3), control and format characters
 * ({@code %00}, {@code %09}, U+202E), backslashes, dot segments and empty segments (section 5.2.4), segments ending in
 * a dot, a space or a {@code +} (stripped by some servers, {@code +} read as a space by some), NTFS stream names
 * ({@code admin::$INDEX_ALLOCATION}, {@code admin:$DATA}) and 8.3 short names ({@code ADMINI~1}), characters that
 * Unicode compatibility normalisation changes (full-width letters folded by "best fit" mappings), bytes that are not
 * UTF-8 (overlong {@code %C0%AF}), and any encoded {@code /}, {@code ?} or {@code #}.
 */
public final class CanonicalPath {

    /** RFC 3986 pchar plus "/", without ";" (path parameters): unreserved, "%", sub-delims but ";", ":", "@". */
    private static final String RAW_ALLOWED = "-._~!$&'()*+,=:@/%";
    /** What Windows file systems read as another name: an NTFS stream ({@code ::$...}, {@code :$...}), an 8.3 alias. */
    private static final Pattern WINDOWS_ALIAS = Pattern.compile("::|:\\$|~[0-9]");

    private CanonicalPath() {}

    /** The canonical path of a request URI in origin form ({@code /path?query}); empty when it has none. */
    public static Optional<String> of(String requestUri) {
        if (requestUri == null || !requestUri.startsWith("/")) {
            return Optional.empty();
        }
        int query = requestUri.indexOf('?');
        String raw = query < 0 ? requestUri : requestUri.substring(0, query);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean alphanumeric = c < 0x80 && Character.isLetterOrDigit(c);
            if (!alphanumeric && RAW_ALLOWED.indexOf(c) < 0) {
                return Optional.empty();
            }
        }
        return decodeOnce(raw).filter(CanonicalPath::isUnambiguous);
    }

    private static Optional<String> decodeOnce(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            if (i + 2 >= raw.length()) {
                return Optional.empty();
            }
            int high = Character.digit(raw.charAt(i + 1), 16);
            int low = Character.digit(raw.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            int decoded = high * 16 + low;
            if (decoded == '/') {
                // A portal may split segments before or after decoding: %2F has no single reading.
                return Optional.empty();
            }
            bytes.write(decoded);
            i += 2;
        }
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException notUtf8) {
            return Optional.empty();
        }
    }

    private static boolean isUnambiguous(String path) {
        if (!Normalizer.isNormalized(path, Normalizer.Form.NFKC)) {
            return false;
        }
        for (int i = 0; i < path.length(); ) {
            int c = path.codePointAt(i);
            if (c == '%'
                    || c == ';'
                    || c == '\\'
                    || c == '?'
                    || c == '#'
                    || Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.SURROGATE
                    || Character.getType(c) == Character.PRIVATE_USE
                    || Character.getType(c) == Character.UNASSIGNED
                    || (Character.isWhitespace(c) && c != ' ')
                    || Character.isSpaceChar(c) && c != ' ') {
                return false;
            }
            i += Character.charCount(c);
        }
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.isEmpty()
                    ? !last
                    : segment.equals(".")
                            || segment.equals("..")
                            || segment.endsWith(".")
                            || segment.endsWith(" ")
                            || segment.startsWith(" ")
                            || segment.endsWith("+")
                            || segment.startsWith("+")
                            || WINDOWS_ALIAS.matcher(segment).find()) {
                return false;
            }
        }
        return true;
    }
}
