package dev.proxyme.consent;

import dev.proxyme.OAuthErrors;
import dev.proxyme.ProxymeException;

/** Somebody decided the request first (another form of it, posted earlier or at the same instant). */
public class AlreadyDecidedException extends ProxymeException {

    public AlreadyDecidedException() {
        super(409, OAuthErrors.INVALID_REQUEST, "This request was already decided");
    }
}
