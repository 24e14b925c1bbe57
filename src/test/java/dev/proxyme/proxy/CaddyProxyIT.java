package dev.proxyme.proxy;

import dev.proxyme.testsupport.CaddyProxy;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ReverseProxy;

/** Debian's caddy running the shipped `proxy/Caddyfile` in front of a portal. */
class CaddyProxyIT extends ReverseProxyContract {

    CaddyProxyIT(KeycloakServer server, ProxymeClient client) {
        super(server, client);
    }

    @Override
    ReverseProxy startProxy(KeycloakServer server, String realm, String portalClientId, String portalHostAndPort) {
        return new CaddyProxy(server, realm, portalClientId, portalHostAndPort);
    }
}
