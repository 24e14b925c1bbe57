package dev.proxyme.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a request asks the portal's framework to serve another method or URL than the one the route rules judge: a
 * method-override header (Symfony, Laravel, Express's {@code method-override}, Gorilla, ASP.NET Core) or a
 * {@code _method} query parameter (Symfony and Laravel read the query too).
 *
 * <p>Names are read as the portal's framework would read them, not as sent: a query split on {@code &} and on
 * {@code ;} (Perl's CGI, older Python and Go), each name percent-decoded (more than once: a second decoding only ever
 * finds more), {@code +} a space, cut at a NUL (PHP's C strings), with PHP's renaming of parameter names (leading
 * spaces dropped; spaces, dots and an unclosed {@code [} become {@code _}; {@code _method[]} is {@code _method}), in
 * any letter case. Header names are compared by their letters and digits alone, in any case, as CGI and PHP's
 * {@code $_SERVER} join {@code X-HTTP-Method-Override}, {@code X_HTTP_METHOD_OVERRIDE} and {@code X.HTTP.Method.Override}. A form body's {@code _method} never reaches a forward-auth check: the README says how to
 * turn it off in each framework.
 */
final class MethodOverride {

    /** Headers by which some frameworks let a request say it is another method or URL than it is. */
    static final List<String> HEADERS = List.of(
            "X-HTTP-Method-Override",
            "X-HTTP-Method",
            "X-Method-Override",
            "X-Original-URL",
            "X-Original-URI",
            "X-Rewrite-URL");

    private static final String PARAMETER = "_method";
    private static final int DECODINGS = 3;

    private MethodOverride() {}

    /** The override header among these request header names, named as {@link #HEADERS} does; empty when none is. */
    static Optional<String> headerAmong(Iterable<String> headerNames) {
        for (String name : headerNames) {
            for (String override : HEADERS) {
                if (name != null && headerKey(override).equals(headerKey(name))) {
                    return Optional.of(override);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the query of this request URI (origin form, {@code /path?query}) names {@code _method} in any reading. */
    static boolean inQuery(String requestUri) {
        int query = requestUri == null ? -1 : requestUri.indexOf('?');
        if (query < 0) {
            return false;
        }
        for (String parameter : requestUri.substring(query + 1).split("[&;]")) {
            int equals = parameter.indexOf('=');
            if (namesMethod(equals < 0 ? parameter : parameter.substring(0, equals))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a query parameter's name, as sent, is {@code _method} to some framework. */
    static boolean namesMethod(String rawName) {
        String name = rawName;
        for (int round = 0; round < DECODINGS; round++) {
            String decoded = decode(name);
            if (decoded.equals(name)) {
                break;
            }
            name = decoded;
        }
        int nul = name.indexOf('\0');
        name = nul < 0 ? name : name.substring(0, nul);
        name = name.codePoints()
                .filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString()
                .stripLeading();
        int bracket = name.indexOf('[');
        if (bracket >= 0 && name.indexOf(']', bracket) > bracket) {
            name = name.substring(0, bracket);
        }
        String renamed = name.replace(' ', '_').replace('.', '_').replace('[', '_');
        return name.strip().toLowerCase(Locale.ROOT).equals(PARAMETER)
                || renamed.toLowerCase(Locale.ROOT).equals(PARAMETER);
    }

    /** One percent-decoding as a form decoder does it ({@code +} is a space); a broken escape stays as it is. */
    private static String decode(String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int high = c == '%' && i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
            if (low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * A header name as CGI and PHP's {@code $_SERVER} read it: its letters and digits only, in lower case (they join
     * {@code -}, {@code _} and {@code .} into one name).
     */
    static String headerKey(String name) {
        StringBuilder key = new StringBuilder(name.length());
        name.chars().filter(Character::isLetterOrDigit).forEach(c -> key.append(Character.toLowerCase((char) c)));
        return key.toString();
    }
}
