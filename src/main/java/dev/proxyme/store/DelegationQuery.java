package dev.proxyme.store;

import dev.proxyme.model.DelegationStatus;

/** An administrator's filter over a realm's delegations; null criteria match everything. Times in epoch milliseconds. */
public record DelegationQuery(
        String userId,
        String agentClientId,
        String portalClientId,
        DelegationStatus status,
        Long createdFrom,
        Long createdTo,
        int first,
        int max) {}
