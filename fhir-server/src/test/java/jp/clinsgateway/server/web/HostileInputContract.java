package jp.clinsgateway.server.web;

import jp.clinsgateway.server.identity.DevelopmentIdentityHeader;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile or broken client sends never gets a 500: every answer is a 4xx (or 501) with an
 * OperationOutcome in FHIR JSON, naming the element at fault where there is one, without internal
 * details (SQL, Java classes), and nothing of a refused request is stored.
 */
public abstract class HostileInputContract extends GatewayTest {

    /** What must never reach a caller: Java class names, SQL, database object names, stack frames. */
    private static final Pattern INTERNALS = Pattern.compile(
            "(?i)(\\b(java|javax|jakarta|org\\.hibernate|org\\.springframework|org\\.postgresql|org\\.h2|ca\\.uhn)\\.[a-z]"
                    + "|exception|\\bsql\\b|select |insert into|hfj_|idx_|fk_|constraint \\[|\\tat )");

    private final TestPatient patient = TestPatient.aPatient();

    // --- Every error is an OperationOutcome, everywhere under the server -------------------------

    @ParameterizedTest(name = "GET /{0}")
    @ValueSource(strings = {"no-such-page", "", "fhirx/Patient", "portal/no-such-file.js", "error"})
    void aPathOutsideTheGatewaysEndpointsIsANotFoundOutcome(String path) {
        FhirHttp.Response response = raw("GET /" + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertCleanRefusal(response, "GET /" + path);
        assertEquals(404, response.status(), response::toString);
    }

    @Test
    void thePortalStillServesItsPage() {
        FhirHttp.Response response = raw("GET /portal/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(response.status() == 200 || response.status() == 404, response::toString);
        if (response.status() == 200) {
            assertTrue(response.contentType().startsWith("text/html"), response.contentType());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PROPFIND /fhir/Patient", "PROPFIND /elsewhere", "BREW /fhir/metadata", "TRACE /fhir/metadata", "TRACE /",
            "TRACE /portal/"})
    void anUnofferedMethodIsRefusedWithAnOutcome(String requestLine) {
        FhirHttp.Response response = raw(requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertCleanRefusal(response, requestLine);
        assertTrue(response.status() == 405 || response.status() == 501, response::toString);
    }

    @Test
    void aBodyShorterThanItsDeclaredLengthIsABadRequest() {
        String body = json(clinsBundle());
        String half = body.substring(0, body.length() / 2);
        FhirHttp.Response response = raw("POST /fhir/$submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
                + "X-Development-Institution-Code: " + TOKYO_CENTRAL + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\nConnection: close\r\n\r\n" + half);
        assertCleanRefusal(response, "truncated body");
        assertEquals(400, response.status(), response::toString);
        assertNothingStoredFor(patient);
    }

    @Test
    void aMalformedChunkIsABadRequest() {
        FhirHttp.Response response = raw("POST /fhir/$submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
                + "X-Development-Institution-Code: " + TOKYO_CENTRAL + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "zz\r\n{\"resourceType\":\"Bundle\"}\r\n0\r\n\r\n");
        assertCleanRefusal(response, "malformed chunk");
        assertEquals(400, response.status(), response::toString);
    }

    @Test
    void aConcurrentFirstSubmissionOfOnePatientSaysPlainlyToSendAgain() {
        TestPatient newcomer = TestPatient.aPatient();
        List<CompletableFuture<FhirHttp.Response>> sent = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            sent.add(CompletableFuture.supplyAsync(() -> fhir.submit(TOKYO_CENTRAL,
                    ClinsBundleBuilder.diagnoses().from(TOKYO_CENTRAL).forPatient(newcomer).withItems("R" + Math.random()).build())));
            sent.add(CompletableFuture.supplyAsync(() -> fhir.submit(OSAKA_CLINIC,
                    ClinsBundleBuilder.allergies().from(OSAKA_CLINIC).forPatient(newcomer).withItems("R" + Math.random()).build())));
        }
        for (CompletableFuture<FhirHttp.Response> each : sent) {
            FhirHttp.Response response = each.join();
            if (response.status() != 200) {
                assertCleanRefusal(response, "concurrent first submission");
                assertEquals(409, response.status(), response::toString);
                assertTrue(response.outcome().getIssueFirstRep().getDiagnostics().contains("again"), response::toString);
            }
        }
        assertTrue(total("Patient?" + byMemberId(newcomer)) <= 1, "one gateway Patient per person");
    }

    // --- Bad input never reaches 500 -----------------------------------------------------------

    @Test
    void aLabValueNoDatabaseIndexCanHoldIsRefusedAtItsPath() {
        Bundle bundle = ClinsBundleBuilder.labResults().forPatient(patient).withItems("L1").build();
        ((Observation) bundle.getEntry().get(1).getResource()).getValueQuantity().setValue(new BigDecimal("1e400"));
        assertRefusedAt(422, fhir.submit(TOKYO_CENTRAL, bundle), "Bundle.entry[1].resource.valueQuantity.value");
        assertNothingStoredFor(patient);
    }

    @Test
    void aTenThousandCharacterMemberIdIsRefusedAtItsPath() {
        TestPatient longId = new TestPatient("06139991:T:" + "1".repeat(10_000) + ":00", patient.family(), patient.given());
        FhirHttp.Response response = fhir.submit(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(longId).withItems("B1").build());
        assertRefusedAt(422, response, "Bundle.entry[0].resource.identifier[");
        assertEquals(0, total("Patient?identifier=" + encode("http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID|06139991:T:1111")
                + "&_count=1"), "nothing stored");
    }

    @Test
    void aControlCharacterInANameIsRefusedAtItsPath() {
        TestPatient nul = patient.withName("試\u0000験", "太郎");
        assertRefusedAt(422, fhir.submit(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(nul).withItems("B1").build()),
                "Bundle.entry[0].resource.name[0]");
        TestPatient bell = patient.withName("試験", "太\u0007郎");
        assertRefusedAt(422, fhir.submit(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(bell).withItems("B1").build()),
                "Bundle.entry[0].resource.name[0]");
        assertNothingStoredFor(patient);
    }

    @Test
    void aControlCharacterInAnyStringOfASubmissionIsRefusedAtItsPath() {
        Bundle bundle = ClinsBundleBuilder.diagnoses().forPatient(patient).withItems("B1").build();
        ((Condition) bundle.getEntry().get(1).getResource()).addNote(new Annotation().setText("経過\u001b[31m観察"));
        assertRefusedAt(422, fhir.submit(TOKYO_CENTRAL, bundle), "Bundle.entry[1].resource.note[");
        assertNothingStoredFor(patient);
    }

    @Test
    void invalidUtf8InABodyIsRefusedAtItsPath() {
        byte[] body = json(ClinsBundleBuilder.diagnoses().forPatient(patient.withName("試験MARK", "太郎")).withItems("B1").build())
                .getBytes(StandardCharsets.UTF_8);
        byte[] broken = replace(body, "MARK".getBytes(StandardCharsets.US_ASCII), new byte[]{(byte) 0xE8, (byte) 0xA9, 0x28, (byte) 0xFF});
        FhirHttp.Response response = raw(concat(("POST /fhir/$submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json;charset=UTF-8\r\n"
                + "X-Development-Institution-Code: " + TOKYO_CENTRAL + "\r\nContent-Length: " + broken.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII), broken));
        assertCleanRefusal(response, "invalid UTF-8");
        assertEquals(400, response.status(), response::toString);
        assertTrue(expressions(response).stream().anyMatch(e -> e.startsWith("Bundle.entry[0].resource.name[0]")), response::toString);
        assertNothingStoredFor(patient);
    }

    @Test
    void aConsentNamingAnInstitutionThatIsNoInstitutionCodeIsRefusedAtItsPath() {
        String patientId = located(accepted(TOKYO_CENTRAL, clinsBundle()), "Patient");
        Consent consent = ConsentBuilder.permit().to("abc").forPatient(versionless(patientId)).build();
        assertRefusedAt(422, fhir.asPatient(versionless(patientId)).create(consent), "Consent.provision.actor[0].reference.identifier.value");
        Consent controls = ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(versionless(patientId)).build();
        controls.getScope().setText("同意\u0000");
        assertRefusedAt(422, fhir.asPatient(versionless(patientId)).create(controls), "Consent.scope.text");
        assertEquals(0, total("Consent?patient=" + versionless(patientId)), "nothing stored");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"value-quantity=1e999999", "value-quantity=gt1e400", "_offset=-5", "_count=-1", "_count=100000",
            "_offset=99999999999999999999", "_count=abc", "code=%ZZ", "code=%", "code=%E3%81", "code=%FF", "code=%00", "code=a%01b",
            "_has=%"})
    void aSearchWithABrokenOrUnboundedParameterIsABadRequest(String parameter) {
        String patientId = versionless(located(accepted(TOKYO_CENTRAL, clinsBundle()), "Patient"));
        FhirHttp.Response response = rawGet("Observation?patient=" + patientId + "&" + parameter,
                DevelopmentIdentityHeader.PATIENT + ": " + patientId);
        assertCleanRefusal(response, parameter);
        assertEquals(400, response.status(), response::toString);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"name=%ZZ", "name=%", "name=%00", "name=%E8%A9%28", "family=a%00b"})
    void aPatientSearchWithBrokenEncodingOrAControlCharacterIsABadRequest(String parameter) {
        FhirHttp.Response response = rawGet("Patient?" + parameter, DevelopmentIdentityHeader.HEADER + ": " + TOKYO_CENTRAL);
        assertCleanRefusal(response, parameter);
        assertEquals(400, response.status(), response::toString);
    }

    @Test
    void aSearchWithTooManyParametersOrTooLongAValueIsABadRequest() {
        String patientId = versionless(located(accepted(TOKYO_CENTRAL, clinsBundle()), "Patient"));
        String many = IntStream.range(0, 200).mapToObj(i -> "code=c" + i).reduce((a, b) -> a + "&" + b).orElseThrow();
        assertRefusedAt(400, fhir.asPatient(patientId).get("Condition?patient=" + patientId + "&" + many), null);
        String values = IntStream.range(0, 500).mapToObj(i -> "c" + i).reduce((a, b) -> a + "," + b).orElseThrow();
        assertRefusedAt(400, fhir.asPatient(patientId).get("Condition?patient=" + patientId + "&code=" + values), "code");
        assertRefusedAt(400, fhir.asPatient(patientId).get("Condition?patient=" + patientId + "&code=" + "x".repeat(2_000)), "code");
    }

    @Test
    void aConsentCheckWithoutParametersIsABadRequest() {
        FhirHttp.Response get = fhir.asInstitution(TOKYO_CENTRAL).get("$consent-check");
        assertCleanRefusal(get, "GET $consent-check");
        assertTrue(get.status() == 400 || get.status() == 422, get::toString);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Patient/1/_history/99999999999999999999", "Patient/99999999999999999999999",
            "Patient/1/_history/-1", "Patient/1/_history/abc"})
    void aVersionOrIdNoRecordCanHaveIsRefused(String path) {
        FhirHttp.Response response = fhir.asInstitution(TOKYO_CENTRAL).get(path);
        assertCleanRefusal(response, path);
    }

    @Test
    void anXmlExternalEntityIsRefusedAndNotRead() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Bundle [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/><id value=\"&xxe;\"/></Bundle>";
        FhirHttp.Response response = postXml(xxe);
        assertCleanRefusal(response, "XXE");
        assertFalse(response.body().contains("root:"), response::toString);
    }

    @Test
    void entityExpansionIsRefusedQuickly() {
        StringBuilder doctype = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE Bundle [<!ENTITY a0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            doctype.append("<!ENTITY a").append(i).append(" \"").append(("&a" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String laughs = doctype + "]><Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/><id value=\"&a9;\"/></Bundle>";
        long start = System.nanoTime();
        FhirHttp.Response response = postXml(laughs);
        assertCleanRefusal(response, "entity expansion");
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "refused within seconds");
    }

    // --- Bounded work ---------------------------------------------------------------------------

    @Test
    void aBundleWithMoreItemsThanTheLimitIsRefusedQuicklyAndNothingStored() {
        String[] ids = IntStream.range(0, 1_001).mapToObj(i -> "N" + i).toArray(String[]::new);
        Bundle bundle = ClinsBundleBuilder.diagnoses().forPatient(patient).withItems(ids).build();
        bundle.getEntry().forEach(e -> ((org.hl7.fhir.r4.model.DomainResource) e.getResource()).setText(null));
        long start = System.nanoTime();
        FhirHttp.Response response = fhir.submit(TOKYO_CENTRAL, bundle);
        assertCleanRefusal(response, "1,001 items");
        assertTrue(response.status() == 413 || response.status() == 422, response::toString);
        assertTrue(response.outcome().getIssueFirstRep().getDiagnostics().contains("1000"), response::toString);
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "refused within seconds, not minutes");
        assertNothingStoredFor(patient);
    }

    // --- helpers --------------------------------------------------------------------------------

    private Bundle clinsBundle() {
        return ClinsBundleBuilder.diagnoses().forPatient(TestPatient.aPatient()).withItems("B1", "B2").build();
    }

    /** A GET sent exactly as written (java.net.http refuses to build a URL with broken percent-encoding). */
    private FhirHttp.Response rawGet(String pathAndQuery, String identityHeader) {
        return raw("GET /fhir/" + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/fhir+json\r\n" + identityHeader
                + "\r\nConnection: close\r\n\r\n");
    }

    private FhirHttp.Response raw(String request) {
        return raw(request.getBytes(StandardCharsets.UTF_8));
    }

    private FhirHttp.Response raw(byte[] request) {
        return fhir.rawExchange(request);
    }

    /** An XML submission whose answer is asked for in JSON, as the refusals are checked here. */
    private FhirHttp.Response postXml(String xml) {
        return fhir.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhir.base() + "$submit"))
                .header("Content-Type", "application/fhir+xml").header("Accept", "application/fhir+json")
                .header(DevelopmentIdentityHeader.HEADER, TOKYO_CENTRAL)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(xml)));
    }

    private void assertNothingStoredFor(TestPatient who) {
        assertEquals(0, total("Patient?" + byMemberId(who)), "nothing of a refused request is stored");
    }

    private static String json(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        return FhirHttp.FHIR.newJsonParser().encodeResourceToString(resource);
    }

    /** A refusal as every caller must see it: 4xx (or 501), FHIR JSON, an OperationOutcome with an error, no internals. */
    static void assertCleanRefusal(FhirHttp.Response response, String what) {
        assertTrue(response.status() >= 400 && response.status() < 500 || response.status() == 501,
                () -> what + ": expected a 4xx, got " + response);
        assertTrue(response.contentType().startsWith("application/fhir+json"), () -> what + ": content type " + response.contentType()
                + " " + response);
        OperationOutcome outcome = response.outcome();
        assertTrue(outcome.getIssue().stream().anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL), () -> what + ": " + response);
        assertFalse(INTERNALS.matcher(response.body()).find(), () -> what + ": internal details in " + response);
    }

    private static void assertRefusedAt(int status, FhirHttp.Response response, String pathPrefix) {
        assertCleanRefusal(response, pathPrefix);
        assertEquals(status, response.status(), response::toString);
        if (pathPrefix != null) {
            assertTrue(expressions(response).stream().anyMatch(e -> e.startsWith(pathPrefix)), () -> "expected " + pathPrefix + ": " + response);
        }
    }

    private static List<String> expressions(FhirHttp.Response response) {
        return response.outcome().getIssue().stream().flatMap(i -> i.getExpression().stream()).map(e -> e.getValue()).toList();
    }

    private static byte[] replace(byte[] in, byte[] what, byte[] with) {
        String text = new String(in, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(new String(what, StandardCharsets.ISO_8859_1));
        assertTrue(at >= 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in, 0, at);
        out.writeBytes(with);
        out.write(in, at + what.length, in.length - at - what.length);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
