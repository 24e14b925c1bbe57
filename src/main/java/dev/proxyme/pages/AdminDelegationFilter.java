package dev.proxyme.pages;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.proxyme.admin.DelegationRecords;
import dev.proxyme.model.DelegationStatus;
import dev.proxyme.store.DelegationQuery;

/**
 * What an administrator searches the delegations page for, as the list's form sends it: a username (or id), an agent, a
 * portal, a status, the days it was granted between (ISO dates, whole UTC days, both included), and a page. A value
 * that means nothing (an unknown status, a malformed date or offset) filters nothing, and the form shows it empty.
 */
record AdminDelegationFilter(
        String username,
        String agent,
        String portal,
        DelegationStatus status,
        LocalDate from,
        LocalDate to,
        int first) {

    static final int PAGE = 50;
    private static final int MAX_OFFSET = 100_000;

    static AdminDelegationFilter of(
            String username, String agent, String portal, String status, String from, String to, String first) {
        return new AdminDelegationFilter(
                blankToNull(username),
                blankToNull(agent),
                blankToNull(portal),
                DelegationStatus.parse(status).orElse(null),
                dateOf(from),
                dateOf(to),
                offsetOf(first));
    }

    DelegationQuery query(DelegationRecords records) {
        return new DelegationQuery(
                username == null ? null : records.userIdOf(username),
                agent,
                portal,
                status,
                from == null ? null : startOf(from),
                to == null ? null : startOf(to.plusDays(1)),
                first,
                PAGE);
    }

    /** The form's fields as the template shows them back. */
    Map<String, Object> view() {
        Map<String, Object> view = new HashMap<>();
        view.put("username", orEmpty(username));
        view.put("agent", orEmpty(agent));
        view.put("portal", orEmpty(portal));
        view.put("status", status == null ? "" : status.name().toLowerCase(Locale.ROOT));
        view.put("from", from == null ? "" : from.toString());
        view.put("to", to == null ? "" : to.toString());
        view.put(
                "statuses",
                Arrays.stream(DelegationStatus.values())
                        .map(known -> known.name().toLowerCase(Locale.ROOT))
                        .toList());
        return view;
    }

    private static long startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private static LocalDate dateOf(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(value.strip());
            // Years Keycloak's clock can mean: a date picker sends four digits, a script may send anything.
            return day.getYear() < 1970 || day.getYear() > 9999 ? null : day;
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    private static int offsetOf(String first) {
        try {
            return first == null ? 0 : Math.max(0, Math.min(MAX_OFFSET, Integer.parseInt(first)));
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
