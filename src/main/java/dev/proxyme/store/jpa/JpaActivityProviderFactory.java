package dev.proxyme.store.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.Provider;

import dev.proxyme.metrics.ProxymeMetrics;
import dev.proxyme.model.ActivityEntry;
import dev.proxyme.store.ActivityProvider;
import dev.proxyme.store.ActivityProviderFactory;

/**
 * The activity log's write-behind queue: the proxy check runs on every request to a portal and must not wait for a
 * database write, so entries are queued on this node and written in batches, in transactions of their own, every
 * {@code flush-interval-seconds} (SPI option, default 1), when a reader asks, and when the server stops (Keycloak
 * closes this factory before the database it depends on). A crash loses at most one interval's entries; a full queue
 * ({@value #QUEUE_CAPACITY} entries: a database that cannot keep up) drops entries and counts them, logged.
 */
public class JpaActivityProviderFactory implements ActivityProviderFactory {

    private static final Logger logger = Logger.getLogger(JpaActivityProviderFactory.class);
    static final int QUEUE_CAPACITY = 100_000;
    private static final int BATCH = 2_000;

    private final BlockingQueue<ActivityEntry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Object flushing = new Object();
    private volatile KeycloakSessionFactory sessionFactory;
    private ScheduledExecutorService writer;
    private int flushIntervalSeconds = 1;

    @Override
    public ActivityProvider create(KeycloakSession session) {
        return new JpaActivityProvider(session, this);
    }

    void enqueue(ActivityEntry entry) {
        if (queue.offer(entry)) {
            ProxymeMetrics.activity("queued", 1);
        } else {
            ProxymeMetrics.activity("dropped", 1);
            long total = dropped.incrementAndGet();
            if (total == 1 || total % 10_000 == 0) {
                logger.warnf("Activity log: the queue is full, %d entries dropped so far", total);
            }
        }
    }

    /** Writes everything queued so far; one writer at a time, so entries keep their order across batches. */
    void flush() {
        KeycloakSessionFactory factory = sessionFactory;
        if (factory == null) {
            return;
        }
        synchronized (flushing) {
            List<ActivityEntry> batch = new ArrayList<>(BATCH);
            while (queue.drainTo(batch, BATCH) > 0) {
                List<ActivityEntry> written = List.copyOf(batch);
                batch.clear();
                try {
                    KeycloakModelUtils.runJobInTransaction(
                            factory,
                            session ->
                                    ((JpaActivityProvider) session.getProvider(ActivityProvider.class)).write(written));
                    ProxymeMetrics.activity("written", written.size());
                } catch (RuntimeException failed) {
                    ProxymeMetrics.activity("dropped", written.size());
                    dropped.addAndGet(written.size());
                    logger.warnf(
                            "Activity log: %d entries could not be written: %s", written.size(), failed.getMessage());
                }
            }
        }
    }

    @Override
    public String getId() {
        return "jpa";
    }

    @Override
    public void init(Config.Scope config) {
        flushIntervalSeconds = Math.max(1, config.getInt("flush-interval-seconds", 1));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.sessionFactory = factory;
        writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "proxyme-activity-writer");
            thread.setDaemon(true);
            return thread;
        });
        writer.scheduleWithFixedDelay(this::flushQuietly, flushIntervalSeconds, flushIntervalSeconds, TimeUnit.SECONDS);
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            logger.warnf("Activity log: flush failed: %s", e.getMessage());
        }
    }

    /** Closed before the database (see {@link #dependsOn}): what is queued is written now. */
    @Override
    public void close() {
        if (writer != null) {
            writer.shutdown();
            try {
                writer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flushQuietly();
        if (dropped.get() > 0) {
            logger.warnf("Activity log: %d entries were dropped while the server ran", dropped.get());
        }
    }

    @Override
    public Set<Class<? extends Provider>> dependsOn() {
        return Set.of(JpaConnectionProvider.class);
    }
}
