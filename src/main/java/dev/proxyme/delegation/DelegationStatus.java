package dev.proxyme.delegation;

public enum DelegationStatus {
    ACTIVE,
    REVOKED,
    EXPIRED
}
