package dev.proxyme.proxy;

import java.io.IOException;
import java.net.InetAddress;

import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.proxyme.Proxyme;
import dev.proxyme.model.ActivityEntry;
import dev.proxyme.store.ActivityProvider;

/**
 * What agents did for their users: the proxy's decision on a request under a delegation, with its method and path (no
 * query string, no body, no token, nothing that looks like a secret; only the matched route where the portal asks for
 * that), queued and written behind (see {@link ActivityProvider}).
 */
final class ActivityRecorder {

    /** Which node decided: in a cluster, each decides for itself. */
    private static final String NODE = nodeName();

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ActivityPaths paths;
    private final RouteRules rules;
    private final ForwardedRequest request;
    private final String token;

    /** The recorder of one check of a request to the portal, which presented this token. */
    ActivityRecorder(
            KeycloakSession session,
            RealmModel realm,
            ClientModel portal,
            RouteRules rules,
            ForwardedRequest request,
            String token) {
        this.session = session;
        this.realm = realm;
        this.paths = "false".equals(realm.getAttribute(Proxyme.ACTIVITY_ATTRIBUTE))
                ? ActivityPaths.OFF
                : ActivityPaths.of(portal);
        this.rules = rules;
        this.request = request;
        this.token = token;
    }

    void allowed(String delegationId) {
        record(delegationId, true, null);
    }

    void refused(String delegationId, String reason) {
        record(delegationId, false, reason.length() > 255 ? reason.substring(0, 255) : reason);
    }

    private void record(String delegationId, boolean allowed, String reason) {
        if (paths == ActivityPaths.OFF) {
            return;
        }
        String path = paths == ActivityPaths.ROUTES
                ? rules.matchedPattern(request.method(), request.uri(), request.mcpCall())
                        .orElse(ActivityPaths.NO_ROUTE)
                : request.requestForTheLog(token);
        session.getProvider(ActivityProvider.class)
                .record(ActivityEntry.of(
                        realm.getId(),
                        delegationId,
                        Time.currentTimeMillis(),
                        request.methodForTheLog(),
                        path,
                        allowed,
                        reason,
                        NODE));
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
