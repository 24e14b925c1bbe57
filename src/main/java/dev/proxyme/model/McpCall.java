package dev.proxyme.model;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An MCP request as its {@code Mcp-Method} and {@code Mcp-Name} headers name it (MCP 2026-07-28: {@code tools/call}
 * and the tool's name, {@code resources/read} and the resource's URI, {@code prompts/get} and the prompt's name), so
 * that a proxy can decide per tool without reading the body. The headers are believed only under a protocol version
 * whose servers must refuse a request whose headers differ from its body: under an older one (or none) a server reads
 * the body alone, so the call is unknown and a rule naming a tool cannot be taken for granted.
 */
public record McpCall(String method, String name) {

    /**
     * {@code tools/call}, {@code notifications/initialized}, or one of MCP's two one-word methods: a word alone after a
     * route's path ({@code GET /a b}) is a typing error, not a call.
     */
    public static final String METHOD_SHAPE = "(?:[a-z]+(?:/[A-Za-z_]+)+|initialize|ping)";
    /** Printable ASCII without space, comma (repeated headers are joined with it) or semicolon (it ends a rule). */
    public static final String NAME_SHAPE = "[\\x21-\\x2B\\x2D-\\x3A\\x3C-\\x7E]{1,256}";
    /** The versions of MCP whose servers verify {@code Mcp-Method} and {@code Mcp-Name} against the body. */
    public static final Set<String> VERIFYING_PROTOCOL_VERSIONS = Set.of("2026-07-28");

    private static final Pattern METHOD = Pattern.compile(METHOD_SHAPE);
    private static final Pattern NAME = Pattern.compile(NAME_SHAPE);
    private static final Pattern BASE64_SENTINEL = Pattern.compile("=\\?base64\\?(.*)\\?=", Pattern.DOTALL);

    /** A method and, if given, a name, when both are of their shape. */
    public static Optional<McpCall> of(String method, String name) {
        if (method == null || method.length() > 64 || !METHOD.matcher(method).matches()) {
            return Optional.empty();
        }
        if (name != null && !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of(new McpCall(method, name));
    }

    /**
     * The call a request's headers name, each header given as all its values: known only when the request speaks a
     * verifying protocol version and names its method once (and its name at most once), each of its shape.
     */
    public static Optional<McpCall> fromHeaders(
            List<String> protocolVersions, List<String> methods, List<String> names) {
        if (protocolVersions == null
                || protocolVersions.size() != 1
                || !VERIFYING_PROTOCOL_VERSIONS.contains(protocolVersions.get(0))
                || methods == null
                || methods.size() != 1
                || names != null && names.size() > 1) {
            return Optional.empty();
        }
        String method = decoded(methods.get(0));
        String name = names == null || names.isEmpty() ? null : decoded(names.get(0));
        if (method == null || names != null && !names.isEmpty() && name == null) {
            return Optional.empty();
        }
        return of(method, name);
    }

    /**
     * A header value as MCP's servers read it: verbatim, or, in the {@code =?base64?...?=} form a client uses for a
     * value that would not survive as an HTTP field, its canonical base64 payload decoded as UTF-8; {@code null} for a
     * malformed one. Read otherwise, {@code =?base64?ZGVsZXRlX3JlcG9ydA==?=} would be no tool of a rule here and
     * {@code delete_report} at the server.
     */
    static String decoded(String value) {
        java.util.regex.Matcher sentinel = BASE64_SENTINEL.matcher(value);
        if (!sentinel.matches()) {
            return value;
        }
        String payload = sentinel.group(1);
        try {
            byte[] bytes = java.util.Base64.getDecoder().decode(payload);
            if (!java.util.Base64.getEncoder().encodeToString(bytes).equals(payload)) {
                return null;
            }
            return java.nio.charset.StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException malformed) {
            return null;
        }
    }

    /** The tool this call calls, for {@code tools/call} with a name. */
    public Optional<String> tool() {
        return method.equals("tools/call") ? Optional.ofNullable(name) : Optional.empty();
    }

    /** The tool's or prompt's name it calls ({@code tools/call}, {@code prompts/get}); a resource's URI is no name. */
    public Optional<String> calledName() {
        return method.equals("prompts/get") ? Optional.ofNullable(name) : tool();
    }

    /** Whether a rule's call (this one) covers the request's: its method, and its name when the rule has one. */
    public boolean covers(McpCall call) {
        return method.equals(call.method) && (name == null || name.equals(call.name));
    }

    @Override
    public String toString() {
        return name == null ? method : method + " " + name;
    }
}
