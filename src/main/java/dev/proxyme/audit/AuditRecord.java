package dev.proxyme.audit;

/** One audit entry before it is written. Any identity may be null when the request did not get far enough to know it. */
public record AuditRecord(AuditAction action, String delegationId, String userId, String agentClientId,
                          String portalClientId, String scope, Actor actor, String detail) {

    public static AuditRecord of(AuditAction action, Actor actor) {
        return new AuditRecord(action, null, null, null, null, null, actor, null);
    }

    public AuditRecord delegation(String delegationId, String userId, String agentClientId, String portalClientId, String scope) {
        return new AuditRecord(action, delegationId, userId, agentClientId, portalClientId, scope, actor, detail);
    }

    public AuditRecord agent(String agentClientId) {
        return new AuditRecord(action, delegationId, userId, agentClientId, portalClientId, scope, actor, detail);
    }

    public AuditRecord detail(String detail) {
        return new AuditRecord(action, delegationId, userId, agentClientId, portalClientId, scope, actor, detail);
    }
}
