package dev.proxyme;

import java.util.Optional;
import java.util.concurrent.Callable;

import org.keycloak.cluster.ClusterProvider;
import org.keycloak.cluster.ExecutionResult;
import org.keycloak.models.KeycloakSession;

/**
 * A short, cluster-wide lock on a key, taken with Keycloak's cluster provider: the work runs on one node at a time
 * for the key. Meant for work well under a second that commits before the lock is let go (so the next holder reads
 * what it wrote); the lock lapses after {@value #LEASE_SECONDS} s should its holder die.
 */
public final class ClusterLock {

    private static final int LEASE_SECONDS = 10;
    private static final int ATTEMPTS = 200;
    private static final long WAIT_MILLIS = 25;

    private ClusterLock() {}

    /** What the work gave, or its exception, or nothing when the lock stayed taken for every attempt. */
    private record Outcome<T>(T result, RuntimeException failure) {}

    /**
     * Runs the work under the key's lock, waiting up to about five seconds for it. Empty when the lock stayed taken;
     * the work's own exceptions are thrown as they are.
     */
    public static <T> Optional<T> callExclusively(KeycloakSession session, String key, Callable<T> work) {
        return callExclusively(session.getProvider(ClusterProvider.class), key, work);
    }

    /** The same with the cluster provider of a session already at hand (one that is committing, say). */
    public static <T> Optional<T> callExclusively(ClusterProvider cluster, String key, Callable<T> work) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ExecutionResult<Outcome<T>> locked = cluster.executeIfNotExecuted(key, LEASE_SECONDS, () -> run(work));
            if (locked.isExecuted()) {
                if (locked.getResult().failure() != null) {
                    throw locked.getResult().failure();
                }
                return Optional.ofNullable(locked.getResult().result());
            }
            try {
                Thread.sleep(WAIT_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static <T> Outcome<T> run(Callable<T> work) {
        try {
            return new Outcome<>(work.call(), null);
        } catch (RuntimeException failed) {
            return new Outcome<>(null, failed);
        } catch (Exception failed) {
            return new Outcome<>(null, new IllegalStateException(failed));
        }
    }
}
