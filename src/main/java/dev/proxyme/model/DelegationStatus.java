package dev.proxyme.model;

import java.util.Locale;
import java.util.Optional;

/** Where a delegation is in its life: active until it ends, by revocation or by reaching its end time. */
public enum DelegationStatus {
    ACTIVE,
    REVOKED,
    EXPIRED;

    /** The status a caller named, case-insensitively ({@code active}, {@code REVOKED}); empty for anything else. */
    public static Optional<DelegationStatus> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (DelegationStatus status : values()) {
            if (status.name().equals(name.toUpperCase(Locale.ROOT))) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    /** As representations and pages show it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
