package dev.proxyme.model;

/**
 * Requests the proxy passed or refused under a delegation: the method and the path (no query string, no body, no
 * token), the decision, why, and which node decided. One request as recorded ({@code count} 1); as stored, the
 * requests of one write to the same route with the same decision, {@code count} of them between {@code firstTime} and
 * {@code time} (epoch milliseconds).
 */
public record ActivityEntry(
        String realmId,
        String delegationId,
        long firstTime,
        long time,
        String method,
        String path,
        boolean allowed,
        String reason,
        String node,
        int count) {

    /** One request, as the proxy check records it. */
    public static ActivityEntry of(
            String realmId,
            String delegationId,
            long time,
            String method,
            String path,
            boolean allowed,
            String reason,
            String node) {
        return new ActivityEntry(realmId, delegationId, time, time, method, path, allowed, reason, node, 1);
    }

    /** What makes entries one stored row: the same route, decision and node of the same delegation. */
    public Route route() {
        return new Route(realmId, delegationId, method, path, allowed, reason, node);
    }

    public record Route(
            String realmId,
            String delegationId,
            String method,
            String path,
            boolean allowed,
            String reason,
            String node) {}

    /** This entry with another's requests added. */
    public ActivityEntry plus(ActivityEntry other) {
        return new ActivityEntry(
                realmId,
                delegationId,
                Math.min(firstTime, other.firstTime),
                Math.max(time, other.time),
                method,
                path,
                allowed,
                reason,
                node,
                count + other.count);
    }
}
