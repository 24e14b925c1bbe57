package dev.proxyme.audit;

import org.keycloak.events.EventType;

/**
 * What happened, and the Keycloak event it is reported as (Keycloak's event types are a fixed enum). An action with
 * an event error is reported as that event's {@code _ERROR} variant.
 */
public enum AuditAction {
    AGENT_REGISTERED(EventType.CLIENT_REGISTER, null),
    DELEGATION_REQUESTED(EventType.OAUTH2_DEVICE_AUTH, null),
    DELEGATION_CREATED(EventType.GRANT_CONSENT, null),
    CONSENT_DENIED(EventType.GRANT_CONSENT, "access_denied"),
    TOKEN_ISSUED(EventType.TOKEN_EXCHANGE, null),
    DELEGATION_REVOKED(EventType.REVOKE_GRANT, null),
    DELEGATION_EXPIRED(EventType.REVOKE_GRANT, null),
    REQUEST_REFUSED(null, null);

    private final EventType eventType;
    private final String eventError;

    AuditAction(EventType eventType, String eventError) {
        this.eventType = eventType;
        this.eventError = eventError;
    }

    public EventType eventType() {
        return eventType;
    }

    public String eventError() {
        return eventError;
    }
}
