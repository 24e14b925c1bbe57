package dev.proxyme;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts events per key in fixed one-minute windows, in this node's memory. It bounds what one agent can make a node
 * write (tokens under one delegation, pending requests), not a cluster-wide quota: across n nodes the bound is n times
 * the limit. No shared row is touched, so the hot path takes no lock beyond the map's.
 */
public final class RateLimit {

    private static final int MAX_KEYS = 100_000;

    private record Window(long minute, AtomicInteger count) {}

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final int perMinute;

    public RateLimit(int perMinute) {
        this.perMinute = perMinute;
    }

    /**
     * Counts one event for the key, or refuses it with {@code 429 slow_down} and {@code Retry-After} when the key has had
     * its events of the current minute.
     *
     * @param refusal what the refusal says was too much ({@code "Too many tokens under this delegation"})
     * @param advice  what it adds after the retry time, or null
     */
    public void acquire(String key, String refusal, String advice) {
        acquire(key, perMinute, refusal, advice);
    }

    /** As {@link #acquire(String, String, String)}, with a limit of the caller's (a realm's policy, say). */
    public void acquire(String key, int perMinute, String refusal, String advice) {
        long now = org.keycloak.common.util.Time.currentTimeMillis();
        if (!tryAcquire(key, perMinute, now)) {
            long retry = secondsToNextWindow(now);
            throw ProxymeException.tooManyRequests(
                    refusal + ": retry in " + retry + " s" + (advice == null ? "" : " (" + advice + ")"), retry);
        }
    }

    /** Counts one event for the key; false when the key has already had {@code perMinute} in the current minute. */
    public boolean tryAcquire(String key, int perMinute, long nowMillis) {
        long minute = nowMillis / 60_000;
        if (windows.size() >= MAX_KEYS) {
            windows.values().removeIf(window -> window.minute() != minute);
        }
        Window window = windows.compute(
                key, (k, old) -> old == null || old.minute() != minute ? new Window(minute, new AtomicInteger()) : old);
        return window.count().incrementAndGet() <= perMinute;
    }

    /** Seconds until the current window ends: what {@code Retry-After} tells a caller over its limit. */
    public static long secondsToNextWindow(long nowMillis) {
        return Math.max(1, (60_000 - nowMillis % 60_000 + 999) / 1000);
    }
}
