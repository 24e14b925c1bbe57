package dev.proxyme.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what a test needs from Proxyme's pages, whose templates render hidden inputs in one fixed shape. */
public final class HtmlForms {

    private static final Pattern HIDDEN_INPUT =
            Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\"");

    private HtmlForms() {}

    /** The hidden fields of the first form on the page, in order. */
    public static Map<String, String> hiddenFieldsOfFirstForm(String html) {
        int end = html.indexOf("</form>");
        Matcher matcher = HIDDEN_INPUT.matcher(end < 0 ? html : html.substring(0, end));
        Map<String, String> fields = new LinkedHashMap<>();
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2));
        }
        return fields;
    }
}
