package dev.proxyme.web;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.Envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonBodyTest {

    @Test
    void anEnvelopeParameterIsOneJsonValueAndNothingAfterIt() {
        assertEquals(
                List.of("GET /a"),
                JsonBody.envelopeOf("{\"routes\":[\"GET /a\"]} ").routes());
        assertEquals(Envelope.NONE, JsonBody.envelopeOf(""));
        for (String text : List.of(
                "{\"routes\":[\"GET /a\"]}x",
                "{\"budget\":1}{\"budget\":9}",
                "{\"budget\":1} 2",
                "{\"budget\":1,\"budget\":9}")) {
            assertThrows(ProxymeException.class, () -> JsonBody.envelopeOf(text), text);
        }
    }
}
