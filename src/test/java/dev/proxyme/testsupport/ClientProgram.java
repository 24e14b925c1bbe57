package dev.proxyme.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One of the client programs in {@code src/test/clients}, on a library nobody here wrote (openid-client, the MCP
 * TypeScript SDK, Debian's authlib), run as its own process. It prints one JSON event per line; the test waits for
 * events with a deadline and answers on stdin. Its stderr (every HTTP request it made) is kept under
 * {@code target/clients/}.
 */
public final class ClientProgram implements AutoCloseable {

    /** Debian's interpreter: python3-authlib is installed for it, whatever else is first on PATH. */
    private static final String PYTHON = System.getProperty("proxyme.python", "/usr/bin/python3");

    private static final String NODE = System.getProperty("proxyme.node", "node");
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final String name;
    private final Process process;
    private final Path stderr;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();

    private ClientProgram(String name, List<String> command) {
        this.name = name;
        Path directory = clientsDirectory();
        if (command.get(0).equals(NODE) && !Files.isDirectory(directory.resolve("node_modules"))) {
            throw new IllegalStateException("Run 'npm ci' in " + directory + " first (bin/test does)");
        }
        Path logs = TestSettings.fromSystemProperties().buildDirectory().resolve("clients");
        stderr = logs.resolve(name + "-" + RUNS.incrementAndGet() + ".log");
        try {
            Files.createDirectories(logs);
            ProcessBuilder builder =
                    new ProcessBuilder(command).directory(directory.toFile()).redirectError(stderr.toFile());
            // A program's output reaches the test line by line, as a person at a terminal sees it.
            builder.environment().put("PYTHONUNBUFFERED", "1");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(this::readEvents, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    public static ClientProgram node(String script, String... arguments) {
        List<String> command = new ArrayList<>(List.of(NODE, script));
        command.addAll(List.of(arguments));
        return new ClientProgram(script, command);
    }

    /** A program on the MCP Python SDK, in the virtual environment bin/test makes from requirements.txt. */
    public static ClientProgram mcpPython(String script, String... arguments) {
        Path python = clientsDirectory().resolve(".venv/bin/python");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException(
                    "Make " + python.getParent().getParent()
                            + " with 'python3 -m venv .venv && .venv/bin/pip install -r requirements.txt' first (bin/test does)");
        }
        List<String> command = new ArrayList<>(List.of(python.toString(), script));
        command.addAll(List.of(arguments));
        return new ClientProgram(script, command);
    }

    public static ClientProgram python(String script, String... arguments) {
        List<String> command = new ArrayList<>(List.of(PYTHON, script));
        command.addAll(List.of(arguments));
        return new ClientProgram(script, command);
    }

    /** The next event of this name; an error event or the program's end first fails the test with its log. */
    public JsonNode await(String event) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            JsonNode next;
            try {
                next = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (next == null) {
                throw new AssertionError("No '" + event + "' event from " + name + " within " + DEADLINE.toSeconds()
                        + " s; " + describe());
            }
            seen.add(next);
            String type = next.path("event").asText();
            if (type.equals(event)) {
                return next;
            }
            if (type.equals("error") || type.equals("exit")) {
                throw new AssertionError("Waiting for '" + event + "', " + name + " said " + next + "; " + describe());
            }
        }
    }

    /** Whether the program has printed an event of this name so far, without waiting or taking it. */
    public boolean hasEvent(String event) {
        return seen.stream().anyMatch(e -> event.equals(e.path("event").asText()))
                || events.stream().anyMatch(e -> event.equals(e.path("event").asText()));
    }

    /** A program that prints plain text rather than events (the examples): its next line that matches. */
    public String awaitLine(java.util.function.Predicate<String> wanted) {
        while (true) {
            JsonNode line = await("unparsable");
            if (wanted.test(line.get("line").asText())) {
                return line.get("line").asText();
            }
        }
    }

    /** The repository's example agents, run on Debian's python3 as a user would run them. */
    public static ClientProgram example(String script, String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                PYTHON,
                TestSettings.fromSystemProperties()
                        .repository()
                        .resolve("examples")
                        .resolve(script)
                        .toString()));
        command.addAll(List.of(arguments));
        return new ClientProgram(script, command);
    }

    /** The error event the program ends with. */
    public JsonNode awaitError() {
        return await("error");
    }

    public void send(String line) {
        try {
            Writer stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The exit code, once the program has ended (within the deadline). */
    public int exitCode() {
        try {
            if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not end; " + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    private void readEvents() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode event = null;
                try {
                    event = ProxymeClient.JSON.readTree(line);
                } catch (IOException notJson) {
                    // a line of text, not an event
                }
                events.add(
                        event != null && event.isObject() && event.has("event")
                                ? event
                                : ProxymeClient.JSON
                                        .createObjectNode()
                                        .put("event", "unparsable")
                                        .put("line", line));
            }
        } catch (IOException ignored) {
            // the process ended
        }
        events.add(ProxymeClient.JSON.createObjectNode().put("event", "exit"));
    }

    private String describe() {
        String log;
        try {
            List<String> lines = Files.readAllLines(stderr);
            log = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            log = "(no log: " + e.getMessage() + ")";
        }
        return "events so far " + seen + "; its log " + stderr + " ends:\n" + log;
    }

    private static Path clientsDirectory() {
        return TestSettings.fromSystemProperties().repository().resolve("src/test/clients");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
