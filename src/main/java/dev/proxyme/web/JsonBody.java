package dev.proxyme.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.keycloak.OAuthErrorException;
import org.keycloak.models.KeycloakSession;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;

/**
 * A JSON request body, read strictly: bounded size, {@code application/json}, one object, no duplicate keys, and
 * typed field access that answers a wrong type with a 400 naming the field.
 */
public final class JsonBody {

    public static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_ARRAY_ITEMS = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** One JSON value and nothing after it: trailing text would be read differently by another parser. */
    private static final ObjectReader READER = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ObjectNode object;

    private JsonBody(ObjectNode object) {
        this.object = object;
    }

    /** The request's body, read as its {@code Content-Type} says it must be. */
    public static JsonBody read(KeycloakSession session, InputStream body) {
        return read(session.getContext().getRequestHeaders(), body);
    }

    public static JsonBody read(HttpHeaders headers, InputStream body) {
        MediaType type = headers.getMediaType();
        if (type == null
                || !MediaType.APPLICATION_JSON_TYPE.isCompatible(new MediaType(type.getType(), type.getSubtype()))) {
            throw new ProxymeException(
                    415, OAuthErrorException.INVALID_REQUEST, "Content-Type must be application/json");
        }
        byte[] bytes = readBounded(body);
        if (bytes.length == 0) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "The request body is empty");
        }
        try {
            JsonNode node = READER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ProxymeException.badRequest(
                        OAuthErrorException.INVALID_REQUEST, "The request body must be a JSON object");
            }
            return new JsonBody((ObjectNode) node);
        } catch (JsonProcessingException e) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST, "The request body is not valid JSON");
        } catch (IOException e) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST, "The request body could not be read");
        }
    }

    private static byte[] readBounded(InputStream body) {
        if (body == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ProxymeException(
                        413, OAuthErrorException.INVALID_REQUEST, "The request body exceeds " + MAX_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST, "The request body could not be read");
        }
    }

    /** A string field; absent or null gives null. An empty string is refused: it never means anything here. */
    public String string(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string");
        }
        if (value.textValue().isBlank()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "'" + field + "' must not be empty");
        }
        return value.textValue();
    }

    public String requiredString(String field) {
        String value = string(field);
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    /** An array of non-empty strings; absent or null gives null. */
    public List<String> strings(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray() || value.size() > MAX_ARRAY_ITEMS) {
            throw wrongType(field, "an array of at most " + MAX_ARRAY_ITEMS + " strings");
        }
        List<String> strings = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isBlank()) {
                throw wrongType(field, "an array of non-empty strings");
            }
            strings.add(item.textValue());
        }
        return strings;
    }

    /** An array of scope names; absent or null gives null. */
    public Scopes scopes(String field) {
        List<String> names = strings(field);
        return names == null ? null : Scopes.of(names);
    }

    /** An integral number that fits a long; absent or null gives null. */
    public Long integer(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(field, "an integer");
        }
        return value.longValue();
    }

    /**
     * A task envelope ({@code {"budget", "routes", "not_before", "not_after"}}), checked; absent or null gives
     * {@link Envelope#NONE}. Unknown members are refused: a misspelt limit must not silently limit nothing.
     */
    public Envelope envelope(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Envelope.NONE;
        }
        if (!value.isObject()) {
            throw wrongType(field, "an object");
        }
        JsonBody envelope = new JsonBody((ObjectNode) value);
        value.fieldNames().forEachRemaining(name -> {
            if (!Envelope.MEMBERS.contains(name)) {
                throw ProxymeException.badRequest(
                        OAuthErrorException.INVALID_REQUEST,
                        "Unknown member of '" + field + "': " + ProxymeException.printable(name));
            }
        });
        Long budget = envelope.integer("budget");
        try {
            // Clamped to an int only to be judged by the envelope's own bounds, which a long beyond them never meets.
            return Envelope.of(
                    budget == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, budget)),
                    envelope.strings("routes"),
                    envelope.integer("not_before"),
                    envelope.integer("not_after"));
        } catch (IllegalArgumentException invalid) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, invalid.getMessage());
        }
    }

    /** An envelope sent as a request parameter's JSON text (the standard flows' {@code envelope} parameter). */
    public static Envelope envelopeOf(String jsonText) {
        if (jsonText == null || jsonText.isBlank()) {
            return Envelope.NONE;
        }
        try {
            JsonNode node = READER.readTree(jsonText);
            ObjectNode wrapper = MAPPER.createObjectNode();
            wrapper.set("envelope", node);
            return new JsonBody(wrapper).envelope("envelope");
        } catch (JsonProcessingException e) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "'envelope' is not valid JSON");
        }
    }

    private static ProxymeException wrongType(String field, String expected) {
        return ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "'" + field + "' must be " + expected);
    }

    private static ProxymeException missing(String field) {
        return ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "'" + field + "' is required");
    }
}
