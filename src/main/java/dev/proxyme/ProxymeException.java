package dev.proxyme;

/**
 * A refused request, in OAuth's error vocabulary ({@code error}, {@code error_description}) with the HTTP status it
 * deserves. Domain code throws it; the HTTP layer renders it. The description is shown to the caller, so it never
 * contains a secret or a token.
 */
public class ProxymeException extends RuntimeException {

    private final int status;
    private final String error;
    private final Long retryAfterSeconds;
    private final String challenge;

    public ProxymeException(int status, String error, String description) {
        this(status, error, description, null, null);
    }

    private ProxymeException(int status, String error, String description, Long retryAfterSeconds, String challenge) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
        this.challenge = challenge;
    }

    /** The same refusal, answered with this {@code WWW-Authenticate} value. */
    public ProxymeException withChallenge(String wwwAuthenticate) {
        return new ProxymeException(status, error, getMessage(), retryAfterSeconds, wwwAuthenticate);
    }

    /** The same refusal, answered without any {@code WWW-Authenticate}. */
    public ProxymeException withoutChallenge() {
        return withChallenge("");
    }

    /** The {@code WWW-Authenticate} value the refusal asks for (empty: none), or null for the endpoint's usual one. */
    public String challenge() {
        return challenge;
    }

    /** RFC 6585 section 4; {@code slow_down} is the error agents already know from polling (RFC 8628 section 3.5). */
    public static ProxymeException tooManyRequests(String description, long retryAfterSeconds) {
        return new ProxymeException(429, "slow_down", description, retryAfterSeconds, null);
    }

    /** Seconds the caller should wait before asking again (HTTP {@code Retry-After}), or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ProxymeException badRequest(String error, String description) {
        return new ProxymeException(400, error, description);
    }

    public static ProxymeException unauthorized(String error, String description) {
        return new ProxymeException(401, error, description);
    }

    public static ProxymeException forbidden(String error, String description) {
        return new ProxymeException(403, error, description);
    }

    public static ProxymeException notFound(String error, String description) {
        return new ProxymeException(404, error, description);
    }

    /** What the request acts on changed meanwhile (HTTP 409): nothing was done, the caller may look again. */
    public static ProxymeException conflict(String error, String description) {
        return new ProxymeException(409, error, description);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    /** Echoes caller input in an error description without letting it forge the message or grow without bound. */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        String cleaned = value.codePoints()
                .filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "..." : cleaned;
    }
}
