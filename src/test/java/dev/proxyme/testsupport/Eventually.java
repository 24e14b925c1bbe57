package dev.proxyme.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for what another process does in its own time (a browser's redirect, an agent's poll, a write-behind flush),
 * by asking again, never by sleeping a guessed time: the first answer that satisfies the condition is returned at
 * once, and the deadline only bounds how long a failing test takes.
 */
public final class Eventually {

    private Eventually() {}

    /** The first value {@code source} gives that {@code done} accepts, asked every {@code interval}, within the deadline. */
    public static <T> T await(
            Supplier<T> source, Predicate<T> done, Duration interval, Duration deadline, String what) {
        Instant end = Instant.now().plus(deadline);
        while (true) {
            T value = source.get();
            if (done.test(value)) {
                return value;
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError(
                        "Not within " + deadline.toSeconds() + " s: " + what + " (last: " + value + ")");
            }
            pause(interval);
        }
    }

    /** Until the condition holds, asked every 50 ms, within the deadline. */
    public static void await(BooleanSupplier condition, Duration deadline, String what) {
        await(condition::getAsBoolean, Boolean::booleanValue, Duration.ofMillis(50), deadline, what);
    }

    private static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
