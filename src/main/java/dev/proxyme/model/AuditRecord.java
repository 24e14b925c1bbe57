package dev.proxyme.model;

/** One audit entry before it is written. Any identity may be null when the request did not get far enough to know it. */
public record AuditRecord(
        AuditAction action,
        String delegationId,
        String userId,
        String agentClientId,
        String portalClientId,
        String scope,
        Actor actor,
        String detail) {

    public static AuditRecord of(AuditAction action, Actor actor) {
        return new AuditRecord(action, null, null, null, null, null, actor, null);
    }

    /** A record about a delegation: its id and parties, and the scopes it concerns. */
    public static AuditRecord of(AuditAction action, Actor actor, Delegation delegation) {
        return of(action, actor)
                .delegation(
                        delegation.id(),
                        delegation.userId(),
                        delegation.agentClientId(),
                        delegation.portalClientId(),
                        delegation.scopes().toString());
    }

    public AuditRecord delegation(
            String delegationId, String userId, String agentClientId, String portalClientId, String scope) {
        return new AuditRecord(action, delegationId, userId, agentClientId, portalClientId, scope, actor, detail);
    }

    public AuditRecord agent(String agentClientId) {
        return new AuditRecord(action, delegationId, userId, agentClientId, portalClientId, scope, actor, detail);
    }

    public AuditRecord detail(String detail) {
        return new AuditRecord(action, delegationId, userId, agentClientId, portalClientId, scope, actor, detail);
    }
}
