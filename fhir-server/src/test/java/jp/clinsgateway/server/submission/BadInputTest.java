package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayOnH2;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.function.Predicate;

import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input gets a 4xx OperationOutcome naming the element at fault, never a 500, and nothing
 * of it is stored.
 */
@GatewayOnH2
class BadInputTest extends GatewayTest {

    private final TestPatient patient = TestPatient.aPatient();

    @Test
    void malformedJsonIsABadRequest() {
        FhirHttp.Response response = fhir.post("$submit", TOKYO_CENTRAL, "{\"resourceType\": \"Bundle\", \"type\": ", "application/fhir+json");
        assertRefused(400, response, any -> true);
    }

    @Test
    void malformedXmlIsABadRequest() {
        FhirHttp.Response response = fhir.post("$submit", TOKYO_CENTRAL,
                "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"></Bundle>", "application/fhir+xml");
        assertRefused(400, response, any -> true);
    }

    @Test
    void aResourceThatIsNotABundleIsRefused() {
        FhirHttp.Response response = fhir.submit(TOKYO_CENTRAL, new Patient().setActive(true));
        assertRefused(422, response, "Patient"::equals);
    }

    @Test
    void aBundleOfTheWrongTypeIsRefusedAtBundleType() {
        Bundle bundle = clinsBundle();
        bundle.setType(Bundle.BundleType.TRANSACTION);
        assertRefused(422, fhir.submit(TOKYO_CENTRAL, bundle), "Bundle.type"::equals);
        assertNothingStored();
    }

    @Test
    void aProfileViolationNamesTheElement() {
        Bundle bundle = clinsBundle();
        ((Patient) bundle.getEntryFirstRep().getResource()).setBirthDate(null);
        assertRefused(422, fhir.submit(TOKYO_CENTRAL, bundle), e -> e.startsWith("Bundle.entry[0].resource"));
        assertNothingStored();
    }

    @Test
    void mixedResourceTypesInOneClinsBundleAreRefusedAtTheIntruder() {
        Bundle bundle = clinsBundle();
        Bundle allergies = ClinsBundleBuilder.allergies().forPatient(patient).build();
        AllergyIntolerance allergy = (AllergyIntolerance) allergies.getEntry().get(1).getResource();
        bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(allergy);
        assertRefused(422, fhir.submit(TOKYO_CENTRAL, bundle), e -> e.startsWith("Bundle.entry[2]") || e.equals("Bundle"));
        assertNothingStored();
    }

    @Test
    void anInsuranceMemberIdInAnUnknownFormatIsRefused() {
        Bundle bundle = clinsBundle();
        ((Patient) bundle.getEntryFirstRep().getResource()).getIdentifier().get(0).setValue("12345-678");
        assertRefused(422, fhir.submit(TOKYO_CENTRAL, bundle), e -> e.startsWith("Bundle.entry[0].resource"));
        assertNothingStored();
    }

    @Test
    void anItemIdentifierInAnUnknownFormatIsRefused() {
        Bundle bundle = clinsBundle();
        bundle.getEntry().get(1).getResource().getNamedProperty("identifier").getValues().stream()
                .map(org.hl7.fhir.r4.model.Identifier.class::cast).forEach(i -> i.setValue("C0001"));
        assertRefused(422, fhir.submit(TOKYO_CENTRAL, bundle), e -> e.startsWith("Bundle.entry[1].resource.identifier"));
        assertNothingStored();
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() {
        String body = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"id\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}";
        FhirHttp.Response declared = fhir.post("$submit", TOKYO_CENTRAL, body, "application/fhir+json");
        assertRefused(413, declared, any -> true);

        // Without a Content-Length (chunked), the limit is enforced while reading.
        HttpRequest.Builder chunked = HttpRequest.newBuilder(URI.create(fhir.base() + "$submit"))
                .header("Content-Type", "application/fhir+json")
                .header("X-Development-Institution-Code", TOKYO_CENTRAL)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.getBytes())));
        assertRefused(413, fhir.send(chunked), any -> true);
    }

    @Test
    void aRequestLineTomcatCannotReadIsAnsweredWithAnOperationOutcome() {
        FhirHttp.Response response = fhir.rawGet("Patient?name=𠮷田");
        assertEquals(400, response.status(), response::toString);
        assertTrue(response.contentType().startsWith("application/fhir+json"), response.contentType());
        assertTrue(response.outcome().getIssueFirstRep().getDiagnostics().contains("percent-encoded"), response::toString);
    }

    @Test
    void aSubmissionWithoutTheCallersIdentityIsUnauthenticated() {
        FhirHttp.Response response = fhir.post("$submit", null,
                FhirHttp.FHIR.newJsonParser().encodeResourceToString(clinsBundle()), "application/fhir+json");
        assertRefused(401, response, any -> true);
        assertNothingStored();
    }

    @Test
    void directWritesAreRefusedInFavourOfSubmit() {
        FhirHttp.Response response = fhir.post("Condition", TOKYO_CENTRAL,
                "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/1\"}}", "application/fhir+json");
        assertEquals(405, response.status(), response::toString);
        assertTrue(response.outcome().getIssueFirstRep().getDiagnostics().contains("$submit"));
        FhirHttp.Response transaction = fhir.post("", TOKYO_CENTRAL,
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[]}", "application/fhir+json");
        assertEquals(405, transaction.status(), transaction::toString);
    }

    private Bundle clinsBundle() {
        return ClinsBundleBuilder.diagnoses().forPatient(patient).withItems("B1", "B2").build();
    }

    private void assertNothingStored() {
        assertEquals(0, total("Patient?" + byMemberId(patient)));
    }

    private static void assertRefused(int status, FhirHttp.Response response, Predicate<String> expectedPath) {
        assertEquals(status, response.status(), response::toString);
        OperationOutcome outcome = response.outcome();
        assertTrue(outcome.getIssue().stream().anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL), response::toString);
        if (status != 400 && status != 413 && status != 401) {
            assertTrue(outcome.getIssue().stream().flatMap(i -> i.getExpression().stream())
                    .anyMatch(e -> expectedPath.test(e.getValue())), "expected the element path: " + response);
        }
    }
}
