package dev.proxyme.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Liquibase refuses to start a server whose database recorded a changeset that has since changed (its checksum), so a
 * landed changeset is never edited: a change to the schema is a new changeset. This test holds the text of every
 * landed changeset to the digest recorded when it landed ({@code store/landed-changesets.txt}, appended to when a
 * changeset lands).
 */
class ChangelogTest {

    private static final Pattern CHANGESET = Pattern.compile("(?s)<changeSet id=\"([^\"]+)\".*?</changeSet>");

    @Test
    void landedChangesetsAreUnchangedAndInTheirOrder() throws IOException {
        Map<String, String> current = changesets();
        List<String> landed = new ArrayList<>();
        try (InputStream in = ChangelogTest.class.getResourceAsStream("/store/landed-changesets.txt")) {
            assertNotNull(in);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] idAndDigest = line.trim().split("\\s+");
                landed.add(idAndDigest[0]);
                assertEquals(
                        idAndDigest[1],
                        current.get(idAndDigest[0]),
                        "changeset " + idAndDigest[0]
                                + " landed with another text: add a new changeset instead of editing it");
            }
        }
        assertEquals(
                landed,
                new ArrayList<>(current.keySet()).subList(0, landed.size()),
                "landed changesets stay first and in their order");
    }

    private static Map<String, String> changesets() throws IOException {
        String changelog;
        try (InputStream in = ChangelogTest.class.getResourceAsStream("/META-INF/proxyme-changelog.xml")) {
            assertNotNull(in);
            changelog = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> digests = new LinkedHashMap<>();
        Matcher matcher = CHANGESET.matcher(changelog);
        while (matcher.find()) {
            digests.put(matcher.group(1), sha256(matcher.group()));
        }
        return digests;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
