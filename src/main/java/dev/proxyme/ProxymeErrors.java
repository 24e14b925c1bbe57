package dev.proxyme;

/** The error codes Proxyme answers with that Keycloak's {@code OAuthErrorException} does not name. */
public final class ProxymeErrors {

    /** OIDC Core 3.1.2.6: the user's consent is needed (no active delegation covers the request). */
    public static final String CONSENT_REQUIRED = "consent_required";
    /** An agent, user or delegation that does not exist, or not for this caller. */
    public static final String NOT_FOUND = "not_found";
    /** RFC 9449 sections 5 and 7.1: a DPoP proof is missing, invalid, or made with another key than the token's. */
    public static final String INVALID_DPOP_PROOF = "invalid_dpop_proof";

    private ProxymeErrors() {}
}
