package dev.proxyme;

/**
 * Names that are part of Proxyme's contract with administrators, agents, portals and proxies. Changing one of these
 * breaks deployed realms or their clients. The client attributes that make agents and portals are named where they are
 * read: {@code model.Agent} and {@code model.Portals}.
 */
public final class Proxyme {

    /** Path segment under {@code /realms/{realm}/} and {@code /admin/realms/{realm}/}, and provider id of both resources. */
    public static final String PROVIDER_ID = "proxyme";

    /**
     * Realm attribute: true lets delegations approved in Keycloak's UI outlive the login session in which they were
     * approved (by default they end with it: logout, sign-out or expiry of the session).
     */
    public static final String OUTLIVE_LOGIN_ATTRIBUTE = "proxyme.delegationsOutliveLogin";

    /**
     * Realm attribute: true reports every token issued as a Keycloak event ({@code TOKEN_EXCHANGE}). Off by default:
     * where the realm stores events, each token would then cost a second write besides its own record.
     */
    public static final String TOKEN_EVENTS_ATTRIBUTE = "proxyme.tokenEvents";

    /**
     * Realm attribute: false stops recording what agents do through the proxy (the activity log). On by default; the
     * benchmark measures the check with and without it.
     */
    public static final String ACTIVITY_ATTRIBUTE = "proxyme.activity";

    /** Realm role that lets a confidential client's service account vouch for its users' consent. */
    public static final String DELEGATOR_ROLE = "proxyme-delegator";

    /**
     * Grant type of delegation tokens, and an extension grant (RFC 6749 section 4.5) at the realm's token endpoint:
     * an agent renews within a delegation it holds. Keycloak encodes the grant's shortcut into every token id and asks
     * the grant whether its tokens may be used at its own endpoints (see {@code GrantTypeEndpointRestrictionValidator}).
     */
    public static final String GRANT_TYPE = "urn:proxyme:params:oauth:grant-type:delegation";

    public static final String GRANT_SHORTCUT = "px";

    /**
     * Note on the agent's client session in the user's Keycloak session: the delegation the user approved in a standard
     * flow (authorization code, device grant). Every token Keycloak issues in that client session is issued under it.
     */
    public static final String DELEGATION_NOTE = "proxyme.delegation_id";

    /** Claims of a delegation token, besides the standard ones. */
    public static final String CLAIM_DELEGATION_ID = "delegation_id";

    public static final String CLAIM_PORTAL = "portal";
    /** Introspection member: the delegation's task envelope and how much of its budget is used. */
    public static final String CLAIM_ENVELOPE = "envelope";
    /** RFC 8693 section 4.1 actor claim. */
    public static final String CLAIM_ACT = "act";

    /**
     * {@code typ} of the signed identity assertion the proxy check hands to portals. Not {@code Bearer}: no Keycloak
     * endpoint accepts it as an access token, and Proxyme's introspection calls it inactive.
     */
    public static final String IDENTITY_ASSERTION_TYPE = "Proxyme-Identity";

    private Proxyme() {}
}
