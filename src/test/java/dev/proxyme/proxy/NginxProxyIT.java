package dev.proxyme.proxy;

import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.NginxProxy;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ReverseProxy;

/** Debian's nginx running the shipped `proxy/nginx.conf` in front of a portal. */
class NginxProxyIT extends ReverseProxyContract {

    NginxProxyIT(KeycloakServer server, ProxymeClient client) {
        super(server, client);
    }

    @Override
    ReverseProxy startProxy(KeycloakServer server, String realm, String portalClientId, String portalHostAndPort) {
        return new NginxProxy(server, realm, portalClientId, portalHostAndPort);
    }
}
