package dev.proxyme.agent;

import java.util.List;

import dev.proxyme.web.JsonBody;

/**
 * What a client that registers itself sends (RFC 7591 section 2). What Proxyme decides for it is not read:
 * {@code token_endpoint_auth_method} (always {@code none}, a public client), {@code scope} (the realm's policy), and
 * every other member (keys, logos, software statements), as RFC 7591 section 3.2.1 lets a server.
 */
public record SelfRegistrationRequest(
        List<String> redirectUris, String clientName, List<String> grantTypes, List<String> responseTypes) {

    public static SelfRegistrationRequest from(JsonBody json) {
        return new SelfRegistrationRequest(
                json.strings("redirect_uris"),
                json.string("client_name"),
                json.strings("grant_types"),
                json.strings("response_types"));
    }
}
