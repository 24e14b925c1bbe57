package dev.proxyme.audit;

import java.util.UUID;

import dev.proxyme.store.AuditEntity;
import dev.proxyme.store.DelegationStore;
import org.keycloak.common.ClientConnection;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Records each action twice: a row in Proxyme's append-only audit table (always kept) and a Keycloak event (kept when
 * the realm stores events, and seen by every event listener). Never records a token or a secret.
 */
public class AuditLog {

    public static final String DETAIL_DELEGATION_ID = "delegation_id";
    public static final String DETAIL_PORTAL = "portal";
    public static final String DETAIL_ACTOR = "actor";

    private final KeycloakSession session;
    private final RealmModel realm;

    public AuditLog(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Records a completed action inside the request's transaction: the row commits with the change it describes. */
    public void record(AuditRecord record) {
        new DelegationStore(session).insert(toEntity(record));
        EventBuilder event = describe(newEvent(record.action().eventType()), record);
        if (record.action().eventError() == null) {
            event.success();
        } else {
            event.error(record.action().eventError());
        }
    }

    /**
     * Records a refused request. The request's transaction rolls back with the refusal, so the row is written in a
     * transaction of its own, as Keycloak does with error events.
     */
    public void recordRefusal(EventType endpointEvent, AuditRecord record, String error) {
        AuditEntity entity = toEntity(record);
        KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(),
                refusalSession -> new DelegationStore(refusalSession).insert(entity));
        describe(newEvent(endpointEvent), record).detail(Details.REASON, record.detail()).error(error);
    }

    private EventBuilder newEvent(EventType type) {
        // Scheduled tasks and model events run without a connection.
        ClientConnection connection = session.getContext().getConnection();
        EventBuilder event = connection == null ? new EventBuilder(realm, session) : new EventBuilder(realm, session, connection);
        return event.event(type);
    }

    private EventBuilder describe(EventBuilder event, AuditRecord record) {
        if (record.agentClientId() != null) {
            event.client(record.agentClientId());
        } else if (record.actor().type() == Actor.Type.AGENT || record.actor().type() == Actor.Type.BACKEND
                || record.actor().type() == Actor.Type.CLIENT) {
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
        return event.detail(DETAIL_ACTOR, record.actor().type() + (record.actor().id() == null ? "" : ":" + record.actor().id()));
    }

    private AuditEntity toEntity(AuditRecord record) {
        AuditEntity entity = new AuditEntity();
        entity.setId(UUID.randomUUID().toString());
        entity.setRealmId(realm.getId());
        entity.setEventTime(Time.currentTimeMillis());
        entity.setAction(record.action().name());
        // Refusals record what was asked, which may be any string: fit each to its column, never fail the write.
        entity.setDelegationId(fit(record.delegationId(), 36));
        entity.setUserId(fit(record.userId(), 36));
        entity.setAgentClientId(fit(record.agentClientId(), 255));
        entity.setPortalClientId(fit(record.portalClientId(), 255));
        entity.setActorType(record.actor().type().name());
        entity.setActorId(fit(record.actor().id(), 255));
        ClientConnection connection = session.getContext().getConnection();
        entity.setSourceAddress(connection == null ? null : fit(connection.getRemoteAddr(), 64));
        entity.setDetail(fit(record.detail(), 1024));
        return entity;
    }

    private static String fit(String value, int columnLength) {
        return value == null || value.length() <= columnLength ? value : value.substring(0, columnLength);
    }
}
