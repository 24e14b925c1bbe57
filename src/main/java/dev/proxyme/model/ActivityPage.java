package dev.proxyme.model;

import java.util.List;

/**
 * One page of what agents did under a delegation: its latest entries from {@code first} on, at most {@code max} of
 * them, and the counts per route over the same time range.
 */
public record ActivityPage(
        String delegationId, List<ActivityEntry> entries, List<RouteCount> counts, int first, int max) {

    /** The most entries one page holds, whoever asks. */
    public static final int MAX_PAGE = 100;

    /** A page's bounds as a caller asked for them: from 0, and 1 to {@value #MAX_PAGE} entries. */
    public static int firstOf(long asked) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, asked));
    }

    public static int sizeOf(long asked) {
        return (int) Math.min(MAX_PAGE, Math.max(1, asked));
    }
}
