package dev.proxyme.representation;

import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;

import org.keycloak.util.JsonSerialization;

/**
 * A representation as the pages' templates read it: the very JSON the APIs answer, as maps and lists (FreeMarker reads
 * a record's accessors as methods, a map's keys as values), so that a page shows what the API says, field for field.
 */
public final class Views {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private Views() {}

    public static Map<String, Object> of(Object representation) {
        return JsonSerialization.mapper.convertValue(representation, MAP);
    }
}
