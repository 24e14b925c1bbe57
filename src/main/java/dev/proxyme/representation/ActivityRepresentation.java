package dev.proxyme.representation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.proxyme.model.ActivityPage;

/** A delegation's activity as the user's API, the admin API and the user's page show it: latest entries and counts. */
public record ActivityRepresentation(
        @JsonProperty("delegation_id") String delegationId,
        @JsonProperty("entries") List<Entry> entries,
        @JsonProperty("counts") List<Count> counts,
        @JsonProperty("first") int first,
        @JsonProperty("max") int max) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(
            @JsonProperty("time") long time,
            @JsonProperty("first_time") long firstTime,
            @JsonProperty("count") int count,
            @JsonProperty("method") String method,
            @JsonProperty("path") String path,
            @JsonProperty("decision") String decision,
            @JsonProperty("reason") String reason,
            @JsonProperty("node") String node) {}

    public record Count(
            @JsonProperty("method") String method,
            @JsonProperty("path") String path,
            @JsonProperty("decision") String decision,
            @JsonProperty("count") long count) {}

    public static ActivityRepresentation of(ActivityPage page) {
        return new ActivityRepresentation(
                page.delegationId(),
                page.entries().stream()
                        .map(entry -> new Entry(
                                entry.time(),
                                entry.firstTime(),
                                entry.count(),
                                entry.method(),
                                entry.path(),
                                decision(entry.allowed()),
                                entry.reason(),
                                entry.node()))
                        .toList(),
                page.counts().stream()
                        .map(count -> new Count(count.method(), count.path(), decision(count.allowed()), count.count()))
                        .toList(),
                page.first(),
                page.max());
    }

    private static String decision(boolean allowed) {
        return allowed ? "allowed" : "refused";
    }
}
