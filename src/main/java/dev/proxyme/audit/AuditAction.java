package dev.proxyme.audit;

import org.keycloak.events.EventType;

/** What happened, and the Keycloak event type it is reported as (Keycloak's event types are a fixed enum). */
public enum AuditAction {
    AGENT_REGISTERED(EventType.CLIENT_REGISTER),
    DELEGATION_CREATED(EventType.GRANT_CONSENT),
    TOKEN_ISSUED(EventType.TOKEN_EXCHANGE),
    DELEGATION_REVOKED(EventType.REVOKE_GRANT),
    REQUEST_REFUSED(null);

    private final EventType eventType;

    AuditAction(EventType eventType) {
        this.eventType = eventType;
    }

    public EventType eventType() {
        return eventType;
    }
}
