package dev.proxyme.audit;

/** Who acted: a user, an agent, a trusted backend, an administrator, or Proxyme itself. */
public record Actor(Type type, String id) {

    public enum Type { USER, AGENT, BACKEND, ADMIN, SYSTEM, ANONYMOUS }

    public static Actor user(String userId) {
        return new Actor(Type.USER, userId);
    }

    public static Actor agent(String clientId) {
        return new Actor(Type.AGENT, clientId);
    }

    public static Actor backend(String clientId) {
        return new Actor(Type.BACKEND, clientId);
    }

    public static Actor admin(String userId) {
        return new Actor(Type.ADMIN, userId);
    }


    public static final Actor ANONYMOUS = new Actor(Type.ANONYMOUS, null);
}
