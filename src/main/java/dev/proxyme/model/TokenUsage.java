package dev.proxyme.model;

/** How many tokens were issued under a delegation and when the last one was (epoch milliseconds, null if none). */
public record TokenUsage(long tokensIssued, Long lastIssuedAt) {

    public static final TokenUsage NONE = new TokenUsage(0, null);
}
