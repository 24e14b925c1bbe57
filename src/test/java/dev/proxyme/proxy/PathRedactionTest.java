package dev.proxyme.proxy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PathRedactionTest {

    @Test
    void whatFollowsASecretsNameIsRedacted() {
        assertEquals("/account/reset/[redacted]", PathRedaction.redact("/account/reset/abc"));
        assertEquals("/v1/api-key/[redacted]/usage", PathRedaction.redact("/v1/api-key/k1/usage"));
        assertEquals("/invite/[redacted]", PathRedaction.redact("/invite/Xyz"));
        assertEquals("/files/shareToken/[redacted]", PathRedaction.redact("/files/shareToken/q"));
        assertEquals("/download/token=[redacted]", PathRedaction.redact("/download/token=abc"));
        assertEquals("/download/access_token=[redacted]/x", PathRedaction.redact("/download/access_token=abc/x"));
        assertEquals("/download/token=[redacted]", PathRedaction.redact("/download/token=0123456789abcdefXYZ"));
        assertEquals("/pin/[redacted]", PathRedaction.redact("/pin/483920"));
        assertEquals("/otp-code/[redacted]", PathRedaction.redact("/otp-code/483920"));
        assertEquals("/x/token.[redacted]", PathRedaction.redact("/x/token.abc"));
        assertEquals("/x/auth:[redacted]", PathRedaction.redact("/x/auth:abc"));
        assertEquals("/jwt/[redacted]", PathRedaction.redact("/jwt/abc"));
    }

    @Test
    void randomLookingSegmentsAndJwtsAreRedacted() {
        assertEquals("/d/[redacted]", PathRedaction.redact("/d/Zx81kPq2Lm09Ab7Tq4"));
        assertEquals(
                "/d/[redacted]",
                PathRedaction.redact("/d/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
        assertEquals("/d/[redacted]", PathRedaction.redact("/d/eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"));
        assertEquals("/d/[redacted]", PathRedaction.redact("/d/AbCdEfGhIjKlMnOpQrStUvWx"));
        assertEquals("/d/[redacted]", PathRedaction.redact("/d/12345678901234567890123"));
        assertEquals("/d/[redacted]/x", PathRedaction.redact("/d/report-aB3dE5gH7jK9mN1pQ/x"));
        assertEquals("/d/[redacted]", PathRedaction.redact("/d/4111111111111111"), "a card number's 16 digits");
        assertEquals("/d/[redacted]", PathRedaction.redact("/d/a1b2c3d4e5f6g"), "13 mixed characters");
    }

    @Test
    void wordsDatesIdsAndUuidsStay() {
        for (String path : new String[] {
            "/reports/2026-11/invoice-4711",
            "/users/123456789012",
            "/images/monkey.png",
            "/files/report.v2.pdf",
            "/invoices/3f2a9c4e-1b7d-4e8f-9a6b-2c1d0e9f8a7b",
            "/monthly-financial-report-summary",
            "/",
            "",
            "/a//b",
            "/Reports/Q3",
            "/keys"
        }) {
            assertEquals(path, PathRedaction.redact(path), path);
        }
    }

    @Test
    void eachSegmentIsJudgedAsThePortalReadsIt() {
        assertEquals("/reset/./[redacted]", PathRedaction.redact("/reset/./hunter2"));
        assertEquals("/reset/%2e/[redacted]", PathRedaction.redact("/reset/%2e/hunter2"));
        assertEquals("/reset/%252E/[redacted]", PathRedaction.redact("/reset/%252E/hunter2"));
        assertEquals("/reset//[redacted]", PathRedaction.redact("/reset//hunter2"));
        assertEquals("/[redacted]", PathRedaction.redact("/pin%2F483920"));
        assertEquals("/[redacted]", PathRedaction.redact("/pin%5c483920"));
        assertEquals("/[redacted]", PathRedaction.redact("/token%3Dhunter2"));
        assertEquals("/token/[redacted]/[redacted]", PathRedaction.redact("/token/token/hunter2"));
        assertEquals("/reset/[redacted]/[redacted]", PathRedaction.redact("/reset/password/hunter2"));
    }

    @Test
    void secretsOfCommonShapesAreRedacted() {
        assertEquals("/x/reset-token.[redacted]", PathRedaction.redact("/x/reset-token.hunter2pass"));
        assertEquals("/x/my-token.[redacted]", PathRedaction.redact("/x/my-token.hunter2"));
        assertEquals("/x/recovery-codes/[redacted]", PathRedaction.redact("/x/recovery-codes/1234-5678"));
        assertEquals("/x/backup_codes/[redacted]", PathRedaction.redact("/x/backup_codes/98765"));
        assertEquals("/x/[redacted]", PathRedaction.redact("/x/otp123456"));
        assertEquals("/x/[redacted]", PathRedaction.redact("/x/PIN-4839"));
        assertEquals("/x/[redacted]", PathRedaction.redact("/x/ABCD-EFGH-1234-5678-WXYZ"));
        assertEquals("/x/[redacted]", PathRedaction.redact("/x/k7fq2-mz8wp-3rt6y-qq9xv"));
        assertEquals("/x/[redacted]", PathRedaction.redact("/x/qwmzxprtvbnkslhdfgjaqwe"));
        assertEquals("/x/[redacted]", PathRedaction.redact("/x/QWMZXPRTVBNKSLHDFGJAQWE"));
        assertEquals("/reports/[redacted]", PathRedaction.redact("/reports/4111-1111-1111-1111"));
        assertEquals("/reports/[redacted]", PathRedaction.redact("/reports/4111%201111%201111%201111"));
    }

    @Test
    void wordsFilesAndCompoundsStayWhateverTheirLength() {
        for (String path : new String[] {
            "/x/reset-token.json",
            "/docs/internationalization",
            "/de/rechtsschutzversicherung",
            "/api/responsibilities",
            "/users/alice@example.com",
            "/reports/2026-12-03",
            "/v2/s3/buckets",
            "/codes",
            "/x/code-of-conduct",
            "/phone/+1-555-123-4567"
        }) {
            assertEquals(path, PathRedaction.redact(path), path);
        }
    }
}
