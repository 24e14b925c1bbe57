package dev.proxyme.proxy;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reuses a signed identity assertion for the same token and portal while it has at least half of its lifetime left.
 * Signing (RS256: about 1.4 ms of CPU) would otherwise dominate the proxy check. This caches a signature, never a
 * decision: every request is still verified in full before the cached assertion is attached.
 */
public final class AssertionCache {

    private static final int MAX_entries = 10_000;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(String assertion, long expiresAt) {}

    String get(String tokenId, String portal, long nowSeconds, Supplier<String> sign) {
        String key = tokenId + ' ' + portal;
        Entry cached = entries.get(key);
        if (cached != null && cached.expiresAt() - nowSeconds >= IdentityAssertion.LIFETIME_SECONDS / 2) {
            return cached.assertion();
        }
        if (entries.size() >= MAX_entries) {
            evictExpired(nowSeconds);
        }
        String assertion = sign.get();
        entries.put(key, new Entry(assertion, nowSeconds + IdentityAssertion.LIFETIME_SECONDS));
        return assertion;
    }

    private void evictExpired(long nowSeconds) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (it.next().expiresAt() - nowSeconds < IdentityAssertion.LIFETIME_SECONDS / 2) {
                it.remove();
            }
        }
        if (entries.size() >= MAX_entries) {
            entries.clear();
        }
    }
}
