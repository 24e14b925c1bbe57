package dev.proxyme.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.proxyme.model.ActivityEntry;
import dev.proxyme.model.RouteCount;

/** A delegation's activity as the user's API, the admin API and the user's page show it: latest entries and counts. */
public record ActivityRepresentation(
        @JsonProperty("delegation_id") String delegationId,
        @JsonProperty("entries") List<Entry> entries,
        @JsonProperty("counts") List<Count> counts,
        @JsonProperty("first") int first,
        @JsonProperty("max") int max) {

    public static final int MAX_PAGE = 100;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(
            @JsonProperty("time") long time,
            @JsonProperty("first_time") long firstTime,
            @JsonProperty("count") int count,
            @JsonProperty("method") String method,
            @JsonProperty("path") String path,
            @JsonProperty("decision") String decision,
            @JsonProperty("reason") String reason,
            @JsonProperty("node") String node) {
        Map<String, Object> toView() {
            Map<String, Object> view = new HashMap<>();
            view.put("time", time);
            view.put("count", count);
            view.put("method", method);
            view.put("path", path);
            view.put("decision", decision);
            if (reason != null) {
                view.put("reason", reason);
            }
            return view;
        }
    }

    public record Count(
            @JsonProperty("method") String method,
            @JsonProperty("path") String path,
            @JsonProperty("decision") String decision,
            @JsonProperty("count") long count) {
        Map<String, Object> toView() {
            return Map.of("method", method, "path", path, "decision", decision, "count", count);
        }
    }

    public static ActivityRepresentation of(
            String delegationId, List<ActivityEntry> entries, List<RouteCount> counts, int first, int max) {
        return new ActivityRepresentation(
                delegationId,
                entries.stream()
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
                counts.stream()
                        .map(count -> new Count(count.method(), count.path(), decision(count.allowed()), count.count()))
                        .toList(),
                first,
                max);
    }

    /** For the user's page (FreeMarker reads maps unambiguously). */
    public Map<String, Object> toView() {
        Map<String, Object> view = new HashMap<>();
        view.put("delegationId", delegationId);
        view.put("entries", entries.stream().map(Entry::toView).toList());
        view.put("counts", counts.stream().map(Count::toView).toList());
        view.put("first", first);
        view.put("max", max);
        return view;
    }

    private static String decision(boolean allowed) {
        return allowed ? "allowed" : "refused";
    }
}
