package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.support.DocumentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static jp.clinsgateway.server.support.Institutions.YOKOHAMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an EMR sees when it submits the three documents. Runs on each database. */
abstract class DocumentSubmissionContract extends GatewayTest {

    private static final String INSTITUTION = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";

    @ParameterizedTest(name = "document type {0} is stored unchanged and indexed")
    @ValueSource(strings = {"57133-1", "18842-5", "53576-5"})
    void eachDocumentIsStoredUnchangedAndIndexed(String typeCode) {
        TestPatient patient = TestPatient.aPatient();
        DocumentBuilder builder = switch (typeCode) {
            case "57133-1" -> DocumentBuilder.referralLetter().to(OSAKA_CLINIC);
            case "18842-5" -> DocumentBuilder.dischargeSummary();
            default -> DocumentBuilder.checkupReport();
        };
        Bundle sent = builder.forPatient(patient).build();
        Bundle receipt = accepted(TOKYO_CENTRAL, sent);

        Bundle stored = fhir.asInstitution(TOKYO_CENTRAL).get(versionless(located(receipt, "Bundle"))).resource(Bundle.class);
        assertEquals(sent.getIdentifier().getValue(), stored.getIdentifier().getValue());
        assertEquals(sent.getEntry().size(), stored.getEntry().size());
        for (int i = 0; i < sent.getEntry().size(); i++) {
            assertTrue(sent.getEntry().get(i).equalsDeep(stored.getEntry().get(i)), "entry " + i + " unchanged");
        }
        assertEquals(sent.hasSignature(), stored.hasSignature());
        assertTrue(!sent.hasSignature() || sent.getSignature().equalsDeep(stored.getSignature()), "signature kept");

        String patientId = versionless(located(receipt, "Patient"));
        Bundle index = asAuthor("DocumentReference?patient=" + patientId + "&type=" + typeCode
                + "&author-institution=" + encode(INSTITUTION + "|" + TOKYO_CENTRAL) + "&date=ge2000-01-01");
        assertEquals(1, index.getTotal());
        DocumentReference reference = (DocumentReference) index.getEntryFirstRep().getResource();
        assertEquals(versionless(located(receipt, "Bundle")), reference.getContentFirstRep().getAttachment().getUrl());
        assertEquals(sent.getIdentifier().getValue(), reference.getMasterIdentifier().getValue());
    }

    @Test
    void referralLettersAreFoundByTheAddressedInstitution() {
        TestPatient patient = TestPatient.aPatient();
        Bundle receipt = accepted(TOKYO_CENTRAL, DocumentBuilder.referralLetter().to(YOKOHAMA).forPatient(patient).build());
        String patientId = versionless(located(receipt, "Patient"));
        assertEquals(1, asAuthor("DocumentReference?patient=" + patientId + "&recipient-institution=" + encode(INSTITUTION + "|" + YOKOHAMA)).getTotal());
        assertEquals(0, asAuthor("DocumentReference?patient=" + patientId + "&recipient-institution=" + encode(INSTITUTION + "|" + OSAKA_CLINIC)).getTotal());
    }

    @Test
    void aDocumentIdentifierCanBeStoredOnlyOnce() {
        TestPatient patient = TestPatient.aPatient();
        Bundle document = DocumentBuilder.dischargeSummary().forPatient(patient).build();
        Bundle receipt = accepted(TOKYO_CENTRAL, document);
        FhirHttp.Response again = fhir.submit(TOKYO_CENTRAL, document);
        assertEquals(409, again.status(), again::toString);
        assertEquals("Bundle.identifier", again.outcome().getIssueFirstRep().getExpression().get(0).getValue());
        assertEquals(1, asAuthor("DocumentReference?patient=" + versionless(located(receipt, "Patient"))).getTotal());
    }

    /** Documents as their author reads them (the patient does not read referral letters and discharge summaries). */
    private Bundle asAuthor(String query) {
        FhirHttp.Response response = fhir.asInstitution(TOKYO_CENTRAL).get(query);
        assertEquals(200, response.status(), response::toString);
        return response.resource(Bundle.class);
    }

    @Test
    void anInstitutionCannotSubmitAnotherInstitutionsDocument() {
        TestPatient patient = TestPatient.aPatient();
        FhirHttp.Response response = fhir.submit(OSAKA_CLINIC, DocumentBuilder.checkupReport().forPatient(patient).build());
        assertEquals(403, response.status(), response::toString);
        assertEquals(0, total("Patient?" + byMemberId(patient)));
    }
}
