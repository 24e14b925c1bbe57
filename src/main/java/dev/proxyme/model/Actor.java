package dev.proxyme.model;

/**
 * Who acted: a user, an agent, a trusted backend, another client of the realm (a portal, say), an administrator,
 * Proxyme itself, or a caller that never authenticated.
 */
public record Actor(Type type, String id) {

    public enum Type {
        USER,
        AGENT,
        BACKEND,
        CLIENT,
        ADMIN,
        SYSTEM,
        ANONYMOUS
    }

    public static final Actor ANONYMOUS = new Actor(Type.ANONYMOUS, null);
    public static final Actor SYSTEM = new Actor(Type.SYSTEM, "proxyme");

    public static Actor user(String userId) {
        return new Actor(Type.USER, userId);
    }

    public static Actor agent(String clientId) {
        return new Actor(Type.AGENT, clientId);
    }

    public static Actor backend(String clientId) {
        return new Actor(Type.BACKEND, clientId);
    }

    public static Actor client(String clientId) {
        return new Actor(Type.CLIENT, clientId);
    }

    public static Actor admin(String userId) {
        return new Actor(Type.ADMIN, userId);
    }

    /** {@code TYPE} or {@code TYPE:id}, as events and representations name an actor. */
    @Override
    public String toString() {
        return id == null ? type.name() : type.name() + ":" + id;
    }
}
