package dev.proxyme.model;

/** A signed delegation token and what the caller needs to know of it. */
public record MintedToken(
        String encoded, String tokenId, long issuedAt, long expiresAt, String scope, String tokenType) {}
