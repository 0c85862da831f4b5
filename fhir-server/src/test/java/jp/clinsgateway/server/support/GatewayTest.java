package jp.clinsgateway.server.support;

import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Base of the tests that run against the gateway over HTTP. */
public abstract class GatewayTest {

    private static final Pattern NAMED_PATIENT = Pattern.compile("(?:patient|subject)=(Patient/[0-9]+)");

    @LocalServerPort
    private int port;

    protected FhirHttp fhir;

    /** The port the gateway under test listens on. */
    protected int port() {
        return port;
    }

    @BeforeEach
    void connect() {
        fhir = new FhirHttp(port);
    }

    /** Submits and insists on acceptance; answers the receipt. */
    protected Bundle accepted(String institution, Bundle submission) {
        FhirHttp.Response response = fhir.submit(institution, submission);
        assertEquals(200, response.status(), response::toString);
        return response.resource(Bundle.class);
    }

    /**
     * Searches as the patient the query names ({@code patient=Patient/[id]}), who sees all of their
     * own records without flags; a query naming no patient (a Patient lookup) as Tokyo Central.
     */
    protected Bundle search(String query) {
        Matcher patient = NAMED_PATIENT.matcher(query);
        FhirHttp reader = patient.find() ? fhir.asPatient(patient.group(1)) : fhir.asInstitution(Institutions.TOKYO_CENTRAL);
        FhirHttp.Response response = reader.get(query);
        assertEquals(200, response.status(), response::toString);
        return response.resource(Bundle.class);
    }

    /** The one-time code a patient has issued in the portal for one institution ({@code $consent-code}). */
    protected String consentCode(String patient, String institution) {
        org.hl7.fhir.r4.model.Parameters ask = new org.hl7.fhir.r4.model.Parameters();
        ask.addParameter().setName("institution").setValue(new org.hl7.fhir.r4.model.StringType(institution));
        FhirHttp.Response issued = fhir.asPatient(patient).post("$consent-code", null,
                FhirHttp.FHIR.newJsonParser().encodeResourceToString(ask), "application/fhir+json");
        assertEquals(200, issued.status(), issued::toString);
        return issued.resource(org.hl7.fhir.r4.model.Parameters.class).getParameter("code").getValue().primitiveValue();
    }

    /**
     * The reader (an institution with the emergency-access role, declaring ETREAT) opens an emergency window
     * for the patient with a stated reason ({@code $break-glass}), insisting on success.
     */
    protected static void breakGlass(FhirHttp reader, String patient) {
        org.hl7.fhir.r4.model.Parameters ask = new org.hl7.fhir.r4.model.Parameters();
        ask.addParameter().setName("patient").setValue(new org.hl7.fhir.r4.model.Reference(patient));
        ask.addParameter().setName("reason").setValue(new org.hl7.fhir.r4.model.Coding(
                "http://clinsgateway.jp/fhir/CodeSystem/emergency-reason", "patient-cannot-consent", null));
        ask.addParameter().setName("text").setValue(new org.hl7.fhir.r4.model.StringType("意識障害で救急搬送"));
        FhirHttp.Response opened = reader.post("$break-glass", null, FhirHttp.FHIR.newJsonParser().encodeResourceToString(ask),
                "application/fhir+json");
        assertEquals(200, opened.status(), opened::toString);
    }

    /** Searches as the given reader, insisting on an answer. */
    protected static Bundle searchAs(FhirHttp reader, String query) {
        FhirHttp.Response response = reader.get(query);
        assertEquals(200, response.status(), response::toString);
        return response.resource(Bundle.class);
    }

    /** A refusal: the status, and an OperationOutcome saying why. */
    protected static void assertRefused(int status, FhirHttp.Response response) {
        assertRefused(status, response, "");
    }

    protected static void assertRefused(int status, FhirHttp.Response response, String what) {
        assertEquals(status, response.status(), () -> what + ": " + response);
        assertEquals(org.hl7.fhir.r4.model.OperationOutcome.class, response.outcome().getClass(), what);
    }

    protected int total(String query) {
        return search(query).getTotal();
    }

    /** The gateway Patient's search clause for a test patient. */
    protected static String byMemberId(TestPatient patient) {
        return "identifier=" + encode(JpIdentifiers.INSURANCE_MEMBER_ID + "|" + patient.memberId());
    }

    protected static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The location of the receipt entry for a resource type, e.g. "Patient/12". */
    protected static String located(Bundle receipt, String type) {
        return receipt.getEntry().stream()
                .map(e -> e.getResponse().getLocation())
                .filter(l -> l.startsWith(type + "/"))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " in the receipt"));
    }

    protected static String versionless(String location) {
        int history = location.indexOf("/_history");
        return history < 0 ? location : location.substring(0, history);
    }
}
