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

    /**
     * A refused request: who asked, why ({@code error: description}, the refusal's OAuth error and what it said); the
     * parties it concerned are added as far as the request got.
     */
    public static AuditRecord refusal(Actor actor, String error, String description) {
        return of(AuditAction.REQUEST_REFUSED, actor).detail(error + ": " + description);
    }

    /** A refusal's OAuth error code, as {@link #refusal} wrote it. */
    public String refusalError() {
        int separator = detail == null ? -1 : detail.indexOf(": ");
        return separator < 0 ? detail : detail.substring(0, separator);
    }

    public AuditRecord user(String userId) {
        return new AuditRecord(action, delegationId, userId, agentClientId, portalClientId, scope, actor, detail);
    }

    public AuditRecord delegationId(String delegationId) {
        return new AuditRecord(action, delegationId, userId, agentClientId, portalClientId, scope, actor, detail);
    }

    public AuditRecord scope(String scope) {
        return new AuditRecord(action, delegationId, userId, agentClientId, portalClientId, scope, actor, detail);
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
