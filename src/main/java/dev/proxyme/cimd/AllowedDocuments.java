package dev.proxyme.cimd;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.proxyme.model.Scopes;
import dev.proxyme.model.SpaceSeparated;

/**
 * The realm's allow list of client ID metadata documents: each entry {@code DOCUMENT SCOPES PORTALS}, where DOCUMENT
 * is a document's exact https URL ({@code https://vscode.dev/oauth/client-metadata.json}) or every document of a host
 * ({@code https://claude.ai/*}) or of a domain and its subdomains ({@code https://*.example.com/*}), and SCOPES and
 * PORTALS are comma-separated: what an agent identified by such a document may be delegated, and for which portals
 * ({@code *}: any). The first entry that allows a document decides. An entry of another shape allows nothing.
 */
public final class AllowedDocuments {

    /** One entry: a document URL or host pattern, and the agent's terms. */
    public record Entry(String document, String hostPattern, Scopes scopes, Set<String> portals) {

        boolean allows(URI clientId) {
            String host = clientId.getHost() == null ? "" : clientId.getHost().toLowerCase(Locale.ROOT);
            if (document != null) {
                return document.equals(clientId.toString());
            }
            if (clientId.getPort() != -1 && !hostPattern.contains(":")) {
                return false;
            }
            String authority = clientId.getPort() == -1 ? host : host + ":" + clientId.getPort();
            return hostPattern.startsWith("*.")
                    ? authority.endsWith(hostPattern.substring(1)) || authority.equals(hostPattern.substring(2))
                    : authority.equals(hostPattern);
        }

        /** The host part of the entry, as Keycloak's trusted-domain check reads hosts ({@code *.example.com}). */
        String trustedDomain() {
            String pattern = document != null ? URI.create(document).getHost().toLowerCase(Locale.ROOT) : hostPattern;
            int port = pattern.lastIndexOf(':');
            return port > 0 && !pattern.endsWith("]") ? pattern.substring(0, port) : pattern;
        }
    }

    private final List<Entry> entries;

    private AllowedDocuments(List<Entry> entries) {
        this.entries = entries;
    }

    public static AllowedDocuments parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines == null ? List.<String>of() : lines) {
            entry(line).ifPresent(entries::add);
        }
        return new AllowedDocuments(entries);
    }

    /** The entry that allows a document, if any. */
    public Optional<Entry> allowing(String clientId) {
        URI uri;
        try {
            uri = new URI(clientId);
        } catch (URISyntaxException | NullPointerException notAUrl) {
            return Optional.empty();
        }
        if (!"https".equals(uri.getScheme()) || uri.getRawUserInfo() != null || uri.getHost() == null) {
            return Optional.empty();
        }
        return entries.stream().filter(entry -> entry.allows(uri)).findFirst();
    }

    /** The hosts of the entries, as Keycloak's CIMD executor takes its trusted domains. */
    public List<String> trustedDomains() {
        return entries.stream().map(Entry::trustedDomain).distinct().toList();
    }

    private static Optional<Entry> entry(String line) {
        List<String> parts = List.copyOf(SpaceSeparated.words(line == null ? "" : line));
        if (parts.size() != 3 || !parts.get(0).startsWith("https://")) {
            return Optional.empty();
        }
        Scopes scopes = Scopes.of(commaSeparated(parts.get(1)));
        Set<String> portals = new LinkedHashSet<>(commaSeparated(parts.get(2)));
        if (scopes.isEmpty() || portals.isEmpty() || !scopes.names().stream().allMatch(Scopes::isValidName)) {
            return Optional.empty();
        }
        String document = parts.get(0);
        if (document.endsWith("/*")) {
            String host = document.substring("https://".length(), document.length() - 2)
                    .toLowerCase(Locale.ROOT);
            if (host.isEmpty()
                    || host.contains("/")
                    || host.contains("@")
                    || host.indexOf('*', 1) >= 0
                    || host.startsWith("*") && !host.startsWith("*.")) {
                return Optional.empty();
            }
            return Optional.of(new Entry(null, host, scopes, portals));
        }
        try {
            URI uri = new URI(document);
            if (uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null
                    || uri.getRawPath() == null
                    || uri.getRawPath().length() < 2
                    || document.contains("*")) {
                return Optional.empty();
            }
        } catch (URISyntaxException invalid) {
            return Optional.empty();
        }
        return Optional.of(new Entry(document, null, scopes, portals));
    }

    private static List<String> commaSeparated(String value) {
        List<String> names = new ArrayList<>();
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return names;
    }
}
