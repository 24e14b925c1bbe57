package dev.proxyme.proxy;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The paths a portal's router may take one path for, which {@link RouteRules} must all judge: routers read a path, and
 * their own route templates, with a trailing slash or a format suffix dropped, and many case-insensitively.
 */
final class PathReadings {

    private PathReadings() {}

    /**
     * The path as written, and as routers read it otherwise: Express, Rails, Laravel and ASP.NET Core ignore a trailing
     * slash by default; Rails ({@code (.:format)}), Spring's suffix matching and Django REST Framework's format suffixes
     * route {@code /admin.json} to {@code /admin}, and Spring's {@code .*} suffix also {@code /admin.x.json}: the last
     * segment cut at its last dot and at its first.
     */
    static Set<String> readings(String path) {
        Set<String> readings = new LinkedHashSet<>();
        readings.add(path);
        String withoutSlash = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        readings.add(withoutSlash);
        int segment = withoutSlash.lastIndexOf('/');
        int lastDot = withoutSlash.lastIndexOf('.');
        if (lastDot > segment + 1) {
            readings.add(withoutSlash.substring(0, lastDot));
            readings.add(withoutSlash.substring(0, withoutSlash.indexOf('.', segment + 2)));
        }
        return readings;
    }

    /** Each code point upper-cased, then lower-cased: one form for every spelling a case-insensitive router equates. */
    static String fold(String path) {
        StringBuilder folded = new StringBuilder(path.length());
        path.codePoints().forEach(c -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
        return folded.toString();
    }
}
