package dev.proxyme;

/** OAuth error codes Proxyme answers with (RFC 6749 section 5.2, RFC 6750, RFC 8707, OIDC Core 3.1.2.6). */
public final class OAuthErrors {
    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String INVALID_TOKEN = "invalid_token";
    public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";
    public static final String ACCESS_DENIED = "access_denied";
    public static final String INVALID_SCOPE = "invalid_scope";
    /** RFC 8707 section 2: the requested resource (here: the portal) is invalid or not allowed. */
    public static final String INVALID_TARGET = "invalid_target";
    public static final String CONSENT_REQUIRED = "consent_required";
    public static final String NOT_FOUND = "not_found";
    public static final String INVALID_GRANT = "invalid_grant";
    /** RFC 8628 section 3.5, for agents polling a delegation request. */
    public static final String AUTHORIZATION_PENDING = "authorization_pending";
    public static final String SLOW_DOWN = "slow_down";
    public static final String EXPIRED_TOKEN = "expired_token";

    private OAuthErrors() {
    }
}
