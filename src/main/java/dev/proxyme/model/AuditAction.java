package dev.proxyme.model;

/** What happened, as the audit log records it. */
public enum AuditAction {
    AGENT_REGISTERED,
    DELEGATION_REQUESTED,
    DELEGATION_CREATED,
    CONSENT_DENIED,
    TOKEN_ISSUED,
    DELEGATION_REVOKED,
    DELEGATION_EXPIRED,
    REQUEST_REFUSED
}
