package dev.proxyme.cimd;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.jboss.logging.Logger;

import org.keycloak.http.simple.SimpleHttp;
import org.keycloak.http.simple.SimpleHttpRequest;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.models.KeycloakSession;

/**
 * Fetches of client metadata documents on this node, through Keycloak's HTTP client (the server's truststore, no
 * redirects, its connect and read timeouts), each within a deadline for the whole answer and at most so many at once:
 * Keycloak's read timeout restarts with every byte, so a host sending one byte a second would otherwise hold a request
 * thread for as long as the size limit lets it. A fetch past its deadline is refused at once; its connection is closed
 * when the answer has begun, and until it ends it keeps its place, so slow hosts can exhaust the fetches of this node,
 * never Keycloak's threads.
 */
final class DocumentFetch {

    private static final Logger LOG = Logger.getLogger(DocumentFetch.class);

    /** What a host answered: status, {@code Cache-Control}, and the body when it is JSON (for a 200). */
    record Answer(int status, String cacheControl, JsonNode json) {}

    /** Why a fetch failed, for the refusal the user sees. */
    static final class Failed extends Exception {
        Failed(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Duration deadline;
    private final Semaphore places;
    private final ExecutorService fetchers = Executors.newVirtualThreadPerTaskExecutor();

    DocumentFetch(Duration deadline, int concurrentFetches) {
        this.deadline = deadline;
        this.places = new Semaphore(concurrentFetches);
    }

    Duration deadline() {
        return deadline;
    }

    Answer get(KeycloakSession session, String url, long maxBytes) throws Failed {
        if (!places.tryAcquire()) {
            throw new Failed("too many client metadata documents are being fetched on this server; try again shortly");
        }
        SimpleHttpRequest request;
        try {
            request = SimpleHttp.create(session)
                    .withMaxConsumedResponseSize(maxBytes)
                    .doGet(url)
                    .header("Accept", "application/json");
        } catch (RuntimeException notCreated) {
            places.release();
            throw notCreated;
        }
        AtomicReference<SimpleHttpResponse> open = new AtomicReference<>();
        Future<Answer> answer = fetchers.submit(() -> {
            try (SimpleHttpResponse response = request.asResponse()) {
                open.set(response);
                int status = response.getStatus();
                String cacheControl = response.getFirstHeader("Cache-Control");
                return new Answer(status, cacheControl, status == 200 ? response.asJson() : null);
            } finally {
                places.release();
            }
        });
        try {
            return answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            answer.cancel(true);
            close(open.get());
            throw new Failed("not answered within " + deadline.toSeconds() + " s");
        } catch (ExecutionException failed) {
            LOG.debugf(
                    "Client metadata document not fetched: %s",
                    failed.getCause().getClass().getSimpleName());
            throw new Failed("no answer, larger than " + maxBytes + " bytes, or not JSON");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new Failed("interrupted");
        }
    }

    private static void close(SimpleHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException | RuntimeException alreadyGone) {
                // the connection is closed either way
            }
        }
    }
}
