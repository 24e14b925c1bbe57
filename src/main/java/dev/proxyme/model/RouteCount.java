package dev.proxyme.model;

/** How many requests under a delegation went to one route with one decision. */
public record RouteCount(String method, String path, boolean allowed, long count) {}
