package dev.proxyme.representation;

import java.util.Map;

import dev.proxyme.model.Delegation;

/** A delegation's envelope with its count, as every JSON shape shows it ({@code Envelope#claim}); none is null. */
final class EnvelopeClaim {

    private EnvelopeClaim() {}

    static Map<String, Object> of(Delegation delegation) {
        return delegation.envelope().isEmpty() ? null : delegation.envelope().claim(delegation.callsUsed());
    }
}
