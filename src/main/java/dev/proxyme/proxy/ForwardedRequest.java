package dev.proxyme.proxy;

import java.util.Locale;
import java.util.Optional;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.McpCall;

/**
 * The request the proxy is asking about, as it names it in {@code X-Forwarded-Method}, {@code X-Forwarded-Uri},
 * {@code X-Forwarded-Host} and {@code X-Forwarded-Proto} (the shipped configs set them, overwriting the client's), and
 * the MCP call the client's own headers name, when they can be believed ({@code null} otherwise).
 */
record ForwardedRequest(String method, String uri, String host, String proto, McpCall mcp) {

    private static final java.util.regex.Pattern TOOL_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    ForwardedRequest(String method, String uri, String host, String proto) {
        this(method, uri, host, proto, null);
    }

    Optional<McpCall> mcpCall() {
        return Optional.ofNullable(mcp);
    }

    /** The origin the client called: the portal's, as the proxy serves it. */
    String origin() {
        return host == null ? null : scheme() + "://" + host;
    }

    /** The URL the client called without its query: what RFC 9449 section 4.3 compares {@code htu} with. */
    String urlWithoutQuery() {
        return scheme() + "://" + host + pathAsSent();
    }

    /** Frameworks that read {@code _method} from the query serve another method than the one the rules judged. */
    boolean asksMethodOverride() {
        return MethodOverride.inQuery(uri);
    }

    /** The method as recorded in the activity log: printable, 16 characters at most. */
    String methodForTheLog() {
        String upper = method == null ? "?" : method.toUpperCase(Locale.ROOT);
        return ProxymeException.printable(upper.length() > 16 ? upper.substring(0, 16) : upper);
    }

    /**
     * The path in its canonical form, or as sent without what may carry secrets: the query, a fragment, {@code ;}
     * parameters (session ids), the presented token, and whatever else looks like a secret ({@link PathRedaction});
     * unprintable characters replaced, 1,000 characters at most.
     */
    String pathForTheLog(String token) {
        String raw = uri == null ? "" : pathAsSent();
        String path = CanonicalPath.of(raw)
                .map(canonical -> withoutToken(canonical, token))
                .orElseGet(() -> {
                    String cut = raw;
                    for (String end : new String[] {"#", ";", "%23", "%3b", "%3B"}) {
                        int at = cut.indexOf(end);
                        cut = at < 0 ? cut : cut.substring(0, at);
                    }
                    return ProxymeException.printable(withoutToken(cut, token));
                });
        path = PathRedaction.redact(path);
        return path.length() > 1000 ? path.substring(0, 1000) : path;
    }

    /**
     * The path for the log and, for an MCP call the proxy believed, the call: {@code /mcp tools/call get_report}. A
     * tool's or prompt's name is kept when it is of the shape MCP gives tool names ({@code [A-Za-z0-9_.-]}, at most
     * 128) and does not look like a secret (as path segments are judged); a resource's (a URI) never. The agent
     * chooses the name, and a server refusing a call the proxy let through is not seen here: the log says what was
     * asked, not what ran.
     */
    String requestForTheLog(String token) {
        String path = pathForTheLog(token);
        if (mcp == null) {
            return path;
        }
        String call = " " + mcp.method()
                + mcp.calledName()
                        .map(name -> " "
                                + (isToolShaped(name, token)
                                        ? PathRedaction.redact("/" + name).substring(1)
                                        : "[unusual name]"))
                        .orElse("");
        // The activity row holds 1,024 characters: the call is kept whole, the path cut before it.
        return (path.length() + call.length() > 1024 ? path.substring(0, 1024 - call.length()) : path) + call;
    }

    private static boolean isToolShaped(String name, String token) {
        return TOOL_NAME.matcher(name).matches()
                && (token == null || token.length() < 16 || !name.contains(token.substring(0, 16)));
    }

    private static String withoutToken(String path, String token) {
        return token != null && token.length() >= 16 ? path.replace(token, "[token]") : path;
    }

    private String pathAsSent() {
        String sent = uri == null ? "/" : uri;
        int query = sent.indexOf('?');
        return query < 0 ? sent : sent.substring(0, query);
    }

    private String scheme() {
        return proto == null ? "https" : proto;
    }
}
