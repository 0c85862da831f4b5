package jp.clinsgateway.server.portal;

import jp.clinsgateway.keycloak.RealmDescription;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.GatewayWithKeycloak;
import jp.clinsgateway.server.support.Institutions;
import jp.clinsgateway.server.support.TestKeycloak;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The patient portal in real headless Chromium (Debian's chromium, driven by playwright-core), served by
 * the gateway and signing in at the real Keycloak: the script {@code portal/e2e/portal.e2e.mjs} walks a
 * demo patient through sign-in (on Keycloak's pages in the portal's theme), records (a checkup report opened to its
 * results, prescriptions and lab results narrowed to a period), consent, revocation, the access history while an
 * institution reads, and sign-out without Keycloak's confirmation page. Screenshots of every screen land in {@code target/portal-screenshots/}.
 */
@GatewayWithKeycloak
class PortalInTheBrowserTest extends GatewayTest {

    private static final Path PORTAL = Path.of("..", "portal").toAbsolutePath().normalize();
    private static final int PORTAL_TOKEN_SECONDS = 30;
    private static final Path SCREENSHOTS = Path.of("target", "portal-screenshots").toAbsolutePath();

    @Test
    void aPatientSignsInDecidesAndRevokesConsentAndSeesWhoReadTheirRecords() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        assertTrue(Files.isExecutable(chromium), "Debian's chromium is needed at " + chromium
                + " (apt-get install chromium; .ci/run installs it), or set CHROMIUM");
        assertTrue(Files.isDirectory(PORTAL.resolve("node_modules/playwright-core")),
                "playwright-core is installed in portal/ by the portal module's build (npm ci)");
        // Portal tokens that expire within the run: the patient's session must outlive them by refreshing.
        Map<String, String> patients = TestKeycloak.provisionFor(port(),
                TestKeycloak.REALM.withPortal(TestKeycloak.REALM.portal().withAccessTokenLifespan(PORTAL_TOKEN_SECONDS)));
        RealmDescription.PatientAccount yoshida = TestKeycloak.REALM.patients().stream()
                .filter(p -> p.username().equals("yoshida")).findFirst().orElseThrow();
        RealmDescription.Institution reader = TestKeycloak.REALM.institutions().stream()
                .filter(i -> i.code().equals(Institutions.YOKOHAMA)).findFirst().orElseThrow();

        ProcessBuilder node = new ProcessBuilder("node", "e2e/portal.e2e.mjs").directory(PORTAL.toFile()).redirectErrorStream(true);
        node.environment().putAll(Map.of(
                "PORTAL_URL", "http://localhost:" + port() + "/portal/",
                "FHIR_BASE", "http://localhost:" + port() + "/fhir",
                "PATIENT_ID", patients.get("yoshida"),
                "PATIENT_USER", yoshida.username(),
                "PATIENT_PASSWORD", yoshida.password(),
                "READER_CODE", reader.code(),
                "READER_CLIENT_ID", reader.clientId(),
                "READER_SECRET", reader.secret(),
                "TOKEN_ENDPOINT", TestKeycloak.issuer() + "/protocol/openid-connect/token",
                "SCREENSHOTS", SCREENSHOTS.toString()));
        node.environment().put("PORTAL_TOKEN_SECONDS", Integer.toString(PORTAL_TOKEN_SECONDS));
        RealmDescription.Insurer insurer = TestKeycloak.REALM.insurers().stream()
                .filter(i -> yoshida.memberId().startsWith(i.number() + ":")).findFirst().orElseThrow();
        node.environment().putAll(Map.of("INSURER_NUMBER", insurer.number(), "INSURER_CLIENT_ID", insurer.clientId(), "INSURER_SECRET", insurer.secret(),
                "INSURER_NAME", insurer.name()));
        node.environment().put("CHROMIUM", chromium.toString());
        Process run = node.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(5, TimeUnit.MINUTES), "the browser run ends");
        System.out.println(output);
        assertEquals(0, run.exitValue(), output);
        assertTrue(output.contains("every step passed"), output);
        for (String screen : new String[]{"02-keycloak-sign-in", "03-consent-first-screen", "04-name-with-non-bmp-kanji", "05-records",
                "05a-checkup-results", "05b-records-in-a-period", "08-consented-lab-results",
                "09-referral-and-institution-approved",
                "10-access-history", "12-phone-consent", "13-gateway-down", "14-session-expired"}) {
            assertTrue(Files.size(SCREENSHOTS.resolve(screen + ".png")) > 1000, screen + " saved");
        }
    }
}
