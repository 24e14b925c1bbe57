package dev.proxyme.proxy;

import java.io.IOException;
import java.net.InetAddress;

import dev.proxyme.Proxyme;
import dev.proxyme.model.ActivityEntry;
import dev.proxyme.store.ActivityProvider;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * What agents did for their users: the proxy's decision on a request under a delegation, with its method and path (no
 * query string, no body, no token), queued and written behind (see {@link ActivityProvider}).
 */
final class ActivityRecorder {

    /** Which node decided: in a cluster, each decides for itself. */
    private static final String NODE = nodeName();

    private ActivityRecorder() {
    }

    static void record(KeycloakSession session, RealmModel realm, ForwardedRequest request, String token, String delegationId,
                       boolean allowed, String reason) {
        if ("false".equals(realm.getAttribute(Proxyme.ACTIVITY_ATTRIBUTE))) {
            return;
        }
        session.getProvider(ActivityProvider.class).record(ActivityEntry.of(realm.getId(), delegationId, Time.currentTimeMillis(),
                request.methodForTheLog(), request.pathForTheLog(token), allowed,
                reason == null ? null : reason.length() > 255 ? reason.substring(0, 255) : reason, NODE));
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException unknown) {
            host = "unknown";
        }
        return host + ":" + ProcessHandle.current().pid();
    }
}
