package dev.proxyme;

/**
 * Names that are part of Proxyme's contract with administrators, agents, portals and proxies. Changing one of these
 * breaks deployed realms or their clients.
 */
public final class Proxyme {

    /** Path segment under {@code /realms/{realm}/} and provider id of the realm resource. */
    public static final String PROVIDER_ID = "proxyme";

    /** Client attribute marking a confidential client as a portal agents may be delegated access to. */
    public static final String PORTAL_ATTRIBUTE = "proxyme.portal";
    /** Client attribute marking a client that Proxyme registered as an agent. */
    public static final String AGENT_ATTRIBUTE = "proxyme.agent";
    /** Agent client attribute: space-separated portal client ids the agent may ask for; absent = any portal. */
    public static final String AGENT_PORTALS_ATTRIBUTE = "proxyme.portals";
    /** Realm role that lets a confidential client's service account vouch for its users' consent. */
    public static final String DELEGATOR_ROLE = "proxyme-delegator";

    /**
     * Grant type of delegation tokens. Keycloak encodes the grant's shortcut into every token id and asks the grant
     * whether its tokens may be used at its own endpoints (see {@code GrantTypeEndpointRestrictionValidator}).
     */
    public static final String GRANT_TYPE = "urn:proxyme:params:oauth:grant-type:delegation";
    public static final String GRANT_SHORTCUT = "px";

    /** Claims of a delegation token, besides the standard ones. */
    public static final String CLAIM_DELEGATION_ID = "delegation_id";
    public static final String CLAIM_PORTAL = "portal";
    /** RFC 8693 section 4.1 actor claim. */
    public static final String CLAIM_ACT = "act";

    /**
     * {@code typ} of the signed identity assertion the proxy check hands to portals. Not {@code Bearer}: no Keycloak
     * endpoint accepts it as an access token, and Proxyme's introspection calls it inactive.
     */
    public static final String IDENTITY_ASSERTION_TYPE = "Proxyme-Identity";

    private Proxyme() {
    }
}
