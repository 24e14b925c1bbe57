package dev.proxyme.model;

/**
 * One request the proxy passed or refused under a delegation: when (epoch milliseconds), the method and the path (no
 * query string, no body, no token), the decision, why, and which node decided.
 */
public record ActivityEntry(String realmId, String delegationId, long time, String method, String path, boolean allowed,
                            String reason, String node) {
}
