package dev.proxyme.model;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An ordered, duplicate-free set of OAuth scope names (RFC 6749 section 3.3: space-delimited, case-sensitive).
 */
public record Scopes(Set<String> names) {

    // RFC 6749 section 3.3 scope-token: %x21 / %x23-5B / %x5D-7E
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    public Scopes {
        names = Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    public static Scopes of(Collection<String> names) {
        return new Scopes(new LinkedHashSet<>(names));
    }

    /** Parses a space-delimited scope string; blanks between names are ignored. */
    public static Scopes parse(String spaceDelimited) {
        return new Scopes(SpaceSeparated.words(spaceDelimited));
    }

    public static boolean isValidName(String name) {
        return name != null && SCOPE_TOKEN.matcher(name).matches();
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    public boolean covers(Scopes requested) {
        return names.containsAll(requested.names);
    }

    /** This set's names followed by the other's that it lacks. */
    public Scopes union(Scopes other) {
        Set<String> union = new LinkedHashSet<>(names);
        union.addAll(other.names);
        return new Scopes(union);
    }

    /** This set's names that the other also has, in this set's order. */
    public Scopes intersection(Scopes other) {
        Set<String> common = new LinkedHashSet<>(names);
        common.retainAll(other.names);
        return new Scopes(common);
    }

    /** The requested names that this set does not cover, in request order. */
    public Set<String> missingFrom(Scopes requested) {
        Set<String> missing = new LinkedHashSet<>(requested.names);
        missing.removeAll(names);
        return missing;
    }

    @Override
    public String toString() {
        return String.join(" ", names);
    }
}
