package dev.proxyme.store;

import java.util.List;

import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

import dev.proxyme.model.ActivityEntry;
import dev.proxyme.model.ActivityPage;
import dev.proxyme.model.RouteCount;

/**
 * What agents did under their delegations, as the proxy saw it. Recording is write-behind: {@link #record} queues an
 * entry on this node and returns at once; the queue is written in batches, in transactions of their own, at least
 * once a second and when the server stops. A batch's entries of one delegation, route, decision and node are written
 * as one row with their count and first and last time, so a busy agent costs a row per route per second, not per call.
 */
public interface ActivityProvider extends Provider {

    /** Queues an entry; never blocks a request, never fails it (an entry the full queue cannot take is counted, dropped). */
    void record(ActivityEntry entry);

    /** The delegation's entries in a time range (epoch milliseconds, either end open), newest first, paged. */
    List<ActivityEntry> find(RealmModel realm, String delegationId, Long from, Long to, int first, int max);

    /** The delegation's entries in a time range counted per method, path and decision, most frequent first. */
    List<RouteCount> countByRoute(RealmModel realm, String delegationId, Long from, Long to);

    /** A page of the delegation's activity: its entries and the counts per route, in one time range. */
    default ActivityPage page(RealmModel realm, String delegationId, Long from, Long to, long first, long max) {
        int start = ActivityPage.firstOf(first);
        int size = ActivityPage.sizeOf(max);
        return new ActivityPage(
                delegationId,
                find(realm, delegationId, from, to, start, size),
                countByRoute(realm, delegationId, from, to),
                start,
                size);
    }

    /** Removes entries older than the time (epoch milliseconds); returns how many. */
    int purgeBefore(long timeMillis);

    void removeRealm(RealmModel realm);

    @Override
    default void close() {}
}
