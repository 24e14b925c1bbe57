package dev.proxyme.consent;

import org.keycloak.OAuthErrorException;

import dev.proxyme.ProxymeException;

/** Somebody decided the request first (another form of it, posted earlier or at the same instant). */
public class AlreadyDecidedException extends ProxymeException {

    public AlreadyDecidedException() {
        super(409, OAuthErrorException.INVALID_REQUEST, "This request was already decided");
    }
}
