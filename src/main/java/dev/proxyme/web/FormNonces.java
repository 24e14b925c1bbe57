package dev.proxyme.web;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * One-time nonces binding a form of Proxyme's pages to the user it was shown to (and to what it decides, when it
 * decides something), in Keycloak's cluster-wide single-use store: a form is good once, on any node, for its user.
 */
public final class FormNonces {

    private static final String PREFIX = "proxyme:form-nonce:";
    private static final String USER = "user_id";
    private static final int MAX_LENGTH = 64;

    private final SingleUseObjectProvider store;

    public FormNonces(SingleUseObjectProvider store) {
        this.store = store;
    }

    /** A nonce for a form shown to this user, good for the given seconds, naming what else the form is bound to. */
    public String issue(String userId, long lifespanSeconds, Map<String, String> boundTo) {
        String nonce = UUID.randomUUID().toString();
        Map<String, String> notes = new HashMap<>(boundTo);
        notes.put(USER, userId);
        store.put(PREFIX + nonce, lifespanSeconds, notes);
        return nonce;
    }

    /** Consumes a nonce: once, and only for the user it was issued to; what it was bound to, or empty. */
    public Optional<Map<String, String>> consume(String nonce, String userId) {
        if (nonce == null || nonce.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Map<String, String> bound = store.remove(PREFIX + nonce);
        return bound != null && userId.equals(bound.get(USER)) ? Optional.of(bound) : Optional.empty();
    }
}
