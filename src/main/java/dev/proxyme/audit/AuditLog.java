package dev.proxyme.audit;

import org.keycloak.common.ClientConnection;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditEntry;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.store.AuditProvider;

/**
 * Records each action twice: a row in Proxyme's append-only audit log (always kept) and a Keycloak event (kept when
 * the realm stores events, and seen by every event listener). Never records a token or a secret.
 */
public class AuditLog {

    public static final String DETAIL_DELEGATION_ID = "delegation_id";
    public static final String DETAIL_PORTAL = "portal";
    /** Present on every event Proxyme sends: the lifecycle listener tells its own events from those it reacts to. */
    public static final String DETAIL_ACTOR = "actor";

    private final KeycloakSession session;
    private final RealmModel realm;

    public AuditLog(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Records a completed action inside the request's transaction: the row commits with the change it describes. */
    public void record(AuditRecord record) {
        session.getProvider(AuditProvider.class).add(realm, entryOf(record));
        EventBuilder event = describe(newEvent(eventTypeOf(record)), record);
        String error = eventErrorOf(record);
        if (error == null) {
            event.success();
        } else {
            event.error(error);
        }
    }

    /** Reports an action as a Keycloak event only: what has a record of its own elsewhere (an issued token). */
    public void report(AuditRecord record) {
        describe(newEvent(eventTypeOf(record)), record).success();
    }

    /**
     * Records a refused request. The request's transaction rolls back with the refusal, so the row is written in a
     * transaction of its own, as Keycloak does with error events.
     */
    public void recordRefusal(EventType endpointEvent, AuditRecord record) {
        String error = record.refusalError();
        AuditEntry entry = entryOf(record);
        String realmId = realm.getId();
        KeycloakModelUtils.runJobInTransaction(
                session.getKeycloakSessionFactory(),
                session.getContext(),
                refusal -> refusal.getProvider(AuditProvider.class)
                        .add(refusal.realms().getRealm(realmId), entry));
        describe(newEvent(endpointEvent), record)
                .detail(Details.REASON, record.detail())
                .error(error);
    }

    /** Keycloak's event types are a fixed enum: each action is reported as the nearest one. */
    private static EventType eventTypeOf(AuditRecord record) {
        return switch (record.action()) {
            case AGENT_REGISTERED -> EventType.CLIENT_REGISTER;
            case DELEGATION_REQUESTED -> EventType.OAUTH2_DEVICE_AUTH;
            case DELEGATION_CREATED, CONSENT_DENIED -> EventType.GRANT_CONSENT;
            case TOKEN_ISSUED -> EventType.TOKEN_EXCHANGE;
            case DELEGATION_REVOKED, DELEGATION_EXPIRED -> EventType.REVOKE_GRANT;
            case REQUEST_REFUSED ->
                throw new IllegalArgumentException("A refusal is reported as its endpoint's error event");
        };
    }

    /** An action reported as its event's {@code _ERROR} variant, or null. */
    private static String eventErrorOf(AuditRecord record) {
        return switch (record.action()) {
            case CONSENT_DENIED -> "access_denied";
            default -> null;
        };
    }

    private AuditEntry entryOf(AuditRecord record) {
        ClientConnection connection = session.getContext().getConnection();
        return new AuditEntry(Time.currentTimeMillis(), record, connection == null ? null : connection.getRemoteAddr());
    }

    private EventBuilder newEvent(EventType type) {
        // Scheduled tasks and model events run without a connection.
        ClientConnection connection = session.getContext().getConnection();
        EventBuilder event =
                connection == null ? new EventBuilder(realm, session) : new EventBuilder(realm, session, connection);
        return event.event(type);
    }

    private EventBuilder describe(EventBuilder event, AuditRecord record) {
        Actor.Type actorType = record.actor().type();
        if (record.agentClientId() != null) {
            event.client(record.agentClientId());
        } else if (actorType == Actor.Type.AGENT || actorType == Actor.Type.BACKEND || actorType == Actor.Type.CLIENT) {
            event.client(record.actor().id());
        }
        if (record.userId() != null) {
            event.user(record.userId());
        }
        if (record.delegationId() != null) {
            event.detail(DETAIL_DELEGATION_ID, record.delegationId());
        }
        if (record.portalClientId() != null) {
            event.detail(DETAIL_PORTAL, record.portalClientId());
        }
        if (record.scope() != null) {
            event.detail(Details.SCOPE, record.scope());
        }
        return event.detail(DETAIL_ACTOR, record.actor().toString());
    }
}
