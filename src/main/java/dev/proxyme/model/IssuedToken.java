package dev.proxyme.model;

/**
 * A token issued under a delegation, as its one record: which {@code jti}, when it was issued (epoch milliseconds) and
 * until when it is valid (epoch seconds, its {@code exp}), for which scopes, at whose request, from which address. The
 * agent it was issued to is the delegation's.
 */
public record IssuedToken(
        String tokenId,
        String delegationId,
        long issuedAtMillis,
        long expiresAt,
        String scope,
        Actor actor,
        String sourceAddress) {}
