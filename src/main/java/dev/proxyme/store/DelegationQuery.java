package dev.proxyme.store;

/** An administrator's filter over a realm's delegations; null criteria match everything. Times in epoch milliseconds. */
public record DelegationQuery(String userId, String agentClientId, String portalClientId, String status,
                              Long createdFrom, Long createdTo, int first, int max) {
}
