package dev.proxyme.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.KeycloakSession;

/** What Proxyme's responses share: no caching of tokens and secrets, and its URLs under the realm. */
public final class Responses {

    private Responses() {}

    /** RFC 6749 section 5.1: responses carrying tokens or secrets must not be cached. */
    public static Response.ResponseBuilder noStore(Response.ResponseBuilder response) {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        noStore.setNoTransform(false);
        return response.cacheControl(noStore).header("Pragma", "no-cache");
    }

    /** A JSON answer that must not be cached. */
    public static Response json(Response.Status status, Object entity) {
        return noStore(Response.status(status)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(entity))
                .build();
    }

    /** {@code <base>/realms/<realm>} for this request's base URI, as the realm's issuer is. */
    public static String realmUri(KeycloakSession session) {
        String base = session.getContext().getUri().getBaseUri().toString().replaceAll("/$", "");
        return base + "/realms/" + encode(session.getContext().getRealm().getName());
    }

    /** A Proxyme URL of the realm: {@code <realm>/proxyme/<path>}. */
    public static URI proxymeUri(KeycloakSession session, String path) {
        return URI.create(realmUri(session) + "/proxyme/" + path);
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
