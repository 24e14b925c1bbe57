package dev.proxyme.representation;

import dev.proxyme.web.JsonBody;

/** {@code {"agent_id"}} narrows a user's "revoke everything" to one agent. */
public record RevokeAllBody(String agentId) {

    public static RevokeAllBody from(JsonBody json) {
        return new RevokeAllBody(json.string("agent_id"));
    }
}
