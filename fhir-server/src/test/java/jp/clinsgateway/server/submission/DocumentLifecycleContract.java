package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.DocumentBuilder;
import jp.clinsgateway.server.support.DocumentKeys;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static jp.clinsgateway.server.support.Institutions.YOKOHAMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A document's life after submission: Tokyo Central cancels (取消), restores (取消UNDO) and changes
 * (変更) a referral letter to Osaka, a discharge summary and a checkup report, as seen by Tokyo, by
 * the letter's destination, by another institution the patient consented to, by the patient and by
 * the insurer. Runs on each database.
 */
abstract class DocumentLifecycleContract extends GatewayTest {

    /** One submitted document and everyone who looks at it. */
    private final class Scene {
        final TestPatient person = TestPatient.aPatient();
        final String insurer = person.memberId().split(":", 2)[0];
        final String insured = person.memberId().split(":", 2)[1];
        final Bundle sent;
        final String patient;
        final String bundle;

        Scene(String typeCode) {
            sent = builder(typeCode).forPatient(person).build();
            Bundle receipt = accepted(TOKYO_CENTRAL, sent);
            patient = versionless(located(receipt, "Patient"));
            bundle = versionless(located(receipt, "Bundle"));
            // The patient consents to every institution for everything, so only the document's own standing decides.
            assertEquals(201, fhir.asPatient(patient).create(ConsentBuilder.permit().forPatient(patient).build()).status());
        }

        List<FhirHttp> readers() {
            return List.of(fhir.asInstitution(OSAKA_CLINIC), fhir.asInstitution(YOKOHAMA), fhir.asPatient(patient), fhir.asInsurer(insurer));
        }

        /** How many readers (of {@link #readers}) read the document, through its index and by its id. */
        int readersWhoSeeIt() {
            int seeing = 0;
            for (FhirHttp reader : readers()) {
                boolean indexed = searchAs(reader, "DocumentReference?patient=" + patient).getEntry().stream()
                        .anyMatch(e -> bundle.equals(((DocumentReference) e.getResource()).getContentFirstRep().getAttachment().getUrl()));
                boolean readable = reader.get(bundle).status() == 200;
                assertEquals(indexed, readable, "the index and the document agree");
                seeing += readable ? 1 : 0;
            }
            return seeing;
        }

        DocumentReference authorsIndex() {
            return (DocumentReference) searchAs(fhir.asInstitution(TOKYO_CENTRAL), "DocumentReference?patient=" + patient).getEntry().stream()
                    .map(e -> (DocumentReference) e.getResource())
                    .filter(d -> bundle.equals(d.getContentFirstRep().getAttachment().getUrl())).findFirst().orElseThrow();
        }

        FhirHttp.Response step(String operation, FhirHttp as) {
            return as.post(operation, null, DocumentKeys.of(sent, insurer, insured, null), "application/fhir+json");
        }
    }

    private static DocumentBuilder builder(String typeCode) {
        return switch (typeCode) {
            case "57133-1" -> DocumentBuilder.referralLetter().to(OSAKA_CLINIC);
            case "18842-5" -> DocumentBuilder.dischargeSummary();
            default -> DocumentBuilder.checkupReport();
        };
    }

    @ParameterizedTest(name = "document type {0}: a cancelled document disappears for every reader and comes back when restored")
    @ValueSource(strings = {"57133-1", "18842-5", "53576-5"})
    void aCancelledDocumentDisappearsForEveryReaderAndComesBackWhenRestored(String typeCode) {
        Scene scene = new Scene(typeCode);
        int before = scene.readersWhoSeeIt();
        assertTrue(before >= 1, "someone reads it before");

        FhirHttp.Response cancelled = scene.step("$cancel-document", fhir.asInstitution(TOKYO_CENTRAL));
        assertEquals(200, cancelled.status(), cancelled::toString);
        assertEquals(fetchedLetterStays(typeCode), scene.readersWhoSeeIt(),
                "cancelled: nobody but its author reads it on the very next request (and a letter's destination that fetched it)");
        assertEquals("entered-in-error", scene.authorsIndex().getStatus().toCode(), "the author sees it with its status");
        assertEquals(200, fhir.asInstitution(TOKYO_CENTRAL).get(scene.bundle).status());

        assertEquals(200, scene.step("$restore-document", fhir.asInstitution(TOKYO_CENTRAL)).status());
        assertEquals(before, scene.readersWhoSeeIt(), "restored: as before");
        assertEquals("current", scene.authorsIndex().getStatus().toCode());

        List<String> steps = searchAs(fhir.asPatient(scene.patient), "AuditEvent?_count=100").getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .filter(e -> e.getAgentFirstRep().getWho().hasIdentifier() && TOKYO_CENTRAL.equals(e.getAgentFirstRep().getWho().getIdentifier().getValue()))
                .flatMap(e -> e.getSubtype().stream()).map(c -> c.getCode()).filter(c -> c.startsWith("document-")).toList();
        assertEquals(List.of("document-restored", "document-cancelled"), steps, "each step in the patient's access log, as the author's");
    }

    @ParameterizedTest(name = "document type {0}: only its author cancels, restores or changes a document")
    @ValueSource(strings = {"57133-1", "18842-5", "53576-5"})
    void onlyItsAuthorCancelsRestoresOrChangesADocument(String typeCode) {
        Scene scene = new Scene(typeCode);
        for (FhirHttp other : List.of(fhir.asInstitution(OSAKA_CLINIC), fhir.asInstitution(YOKOHAMA), fhir.asPatient(scene.patient),
                fhir.asInsurer(scene.insurer), fhir.asOperator())) {
            for (String operation : List.of("$cancel-document", "$restore-document")) {
                assertRefused(403, scene.step(operation, other), operation);
            }
        }
        assertRefused(403, fhir.asInstitution(OSAKA_CLINIC).post("$change-document", null,
                DocumentKeys.of(scene.sent, scene.insurer, scene.insured, builder(typeCode).from(OSAKA_CLINIC).forPatient(scene.person).build()),
                "application/fhir+json"));
        assertRefused(404, fhir.asInstitution(TOKYO_CENTRAL).post("$cancel-document", null,
                DocumentKeys.of(scene.sent, scene.insurer, "Z:999:99", null), "application/fhir+json"), "another insured person: no such document");
        assertTrue(scene.readersWhoSeeIt() >= 1, "still there");
    }

    @ParameterizedTest(name = "document type {0}: a change replaces the document at once")
    @ValueSource(strings = {"57133-1", "18842-5", "53576-5"})
    void aChangeReplacesTheDocumentAtOnce(String typeCode) {
        Scene scene = new Scene(typeCode);
        int before = scene.readersWhoSeeIt();
        Bundle replacement = builder(typeCode).forPatient(scene.person).build();
        replacement.setIdentifier(scene.sent.getIdentifier().copy()); // 変更 re-registers under the same document identifier
        FhirHttp.Response changed = fhir.asInstitution(TOKYO_CENTRAL).post("$change-document", null,
                DocumentKeys.of(scene.sent, scene.insurer, scene.insured, replacement), "application/fhir+json");
        assertEquals(200, changed.status(), changed::toString);
        String newBundle = versionless(located(changed.resource(Bundle.class), "Bundle"));
        assertEquals(fetchedLetterStays(typeCode), scene.readersWhoSeeIt(), "the earlier one is gone for every reader (but a fetched letter)");
        assertEquals("superseded", scene.authorsIndex().getStatus().toCode());
        int seeingNew = 0;
        for (FhirHttp reader : scene.readers()) {
            seeingNew += reader.get(newBundle).status() == 200 ? 1 : 0;
        }
        assertEquals(before, seeingNew, "the new one is read by the same readers");
        DocumentReference newIndex = (DocumentReference) searchAs(fhir.asInstitution(TOKYO_CENTRAL), "DocumentReference?patient=" + scene.patient
                + "&status=current").getEntry().get(0).getResource();
        assertEquals(scene.authorsIndex().getIdElement().toUnqualifiedVersionless().getValue(), newIndex.getRelatesToFirstRep().getTarget().getReference());

        Bundle broken = builder(typeCode).forPatient(scene.person).build();
        broken.getEntryFirstRep().getResource().getMeta().getProfile().clear();
        ((org.hl7.fhir.r4.model.Composition) broken.getEntryFirstRep().getResource()).setStatus(null);
        FhirHttp.Response refused = fhir.asInstitution(TOKYO_CENTRAL).post("$change-document", null,
                DocumentKeys.of(replacement, scene.insurer, scene.insured, broken), "application/fhir+json");
        assertRefused(422, refused, "an invalid replacement changes nothing");
        assertEquals("current", ((DocumentReference) fhir.asInstitution(TOKYO_CENTRAL).get(newIndex.getIdElement().toUnqualifiedVersionless().getValue())
                .resource(DocumentReference.class)).getStatus().toCode(), "the current document stands");
    }

    /** Reading a referral letter fetches it for its destination, and a fetched letter stays with the destination. */
    private static int fetchedLetterStays(String typeCode) {
        return typeCode.equals("57133-1") ? 1 : 0;
    }

    @Test
    void aReferralLetterItsDestinationFetchedStaysWithTheDestinationWhenCancelled() {
        Scene scene = new Scene("57133-1");
        assertEquals(200, fhir.asInstitution(OSAKA_CLINIC).get(scene.bundle).status(), "Osaka fetches the letter");
        assertEquals(200, scene.step("$cancel-document", fhir.asInstitution(TOKYO_CENTRAL)).status());
        assertEquals(200, fhir.asInstitution(OSAKA_CLINIC).get(scene.bundle).status(), "once fetched, it stays fetched");
        assertEquals(1, searchAs(fhir.asInstitution(OSAKA_CLINIC), "DocumentReference?patient=" + scene.patient).getTotal());
        assertRefused(404, fhir.asInstitution(YOKOHAMA).get(scene.bundle));
    }

    @Test
    void aCancelledDocumentsIdentifierMayBeSubmittedAgain() {
        Scene scene = new Scene("18842-5");
        FhirHttp.Response again = fhir.submit(TOKYO_CENTRAL, scene.sent);
        assertEquals(409, again.status(), "one current document per identifier");
        assertEquals(200, scene.step("$cancel-document", fhir.asInstitution(TOKYO_CENTRAL)).status());
        assertEquals(200, fhir.submit(TOKYO_CENTRAL, scene.sent).status(), "after a cancel, the identifier is free again");
        assertRefused(409, scene.step("$restore-document", fhir.asInstitution(TOKYO_CENTRAL)), "and the cancelled one cannot come back");
    }

    @Test
    void anInstitutionAsksWhetherADestinationIsConnectedBeforeAddressingALetter() {
        FhirHttp tokyo = fhir.asInstitution(TOKYO_CENTRAL);
        Parameters osaka = tokyo.get("$destination-check?institution=" + OSAKA_CLINIC).resource(Parameters.class);
        assertEquals("true", osaka.getParameter("connected").getValue().primitiveValue());
        assertEquals("大阪みなと内科クリニック", osaka.getParameter("name").getValue().primitiveValue());
        Parameters unconnected = tokyo.get("$destination-check?institution=1311999993").resource(Parameters.class);
        assertEquals("false", unconnected.getParameter("connected").getValue().primitiveValue());
        assertEquals("false", tokyo.get("$destination-check?institution=4712345678").resource(Parameters.class)
                .getParameter("connected").getValue().primitiveValue(), "an unknown institution is not connected");
        assertRefused(400, tokyo.get("$destination-check?institution=12345"));
        assertRefused(403, fhir.asPatient("Patient/1").get("$destination-check?institution=" + OSAKA_CLINIC));
        assertTrue(searchAs(fhir.asOperator(), "AuditEvent?_count=200").getEntry().stream().map(e -> (AuditEvent) e.getResource())
                .anyMatch(e -> e.getSubtype().stream().anyMatch(c -> "destination-check".equals(c.getCode()))), "each check is logged");
    }

    @Test
    void aPatientFindsAnInstitutionByNameOrFullWidthCodeAndAnInsurerCannotSearchTheDirectory() {
        Bundle byName = searchAs(fhir.asPatient("Patient/1"), "$institution-search?text=" + java.net.URLEncoder.encode("大阪みなと",
                java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(byName.getEntry().stream().anyMatch(e -> ((org.hl7.fhir.r4.model.Organization) e.getResource()).getIdentifier().stream()
                .anyMatch(i -> OSAKA_CLINIC.equals(i.getValue()))), "found by part of its name");
        Bundle byCode = searchAs(fhir.asPatient("Patient/1"), "$institution-search?text=" + java.net.URLEncoder.encode("２７１１",
                java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(byCode.getEntry().stream().anyMatch(e -> ((org.hl7.fhir.r4.model.Organization) e.getResource()).getIdentifier().stream()
                .anyMatch(i -> OSAKA_CLINIC.equals(i.getValue()))), "found by the start of its code, typed full-width");
        assertRefused(403, fhir.asInsurer("06139991").get("$institution-search?text=" + OSAKA_CLINIC));
        assertRefused(403, fhir.asOperator().get("$institution-search?text=" + OSAKA_CLINIC));
        assertRefused(401, fhir.get("$institution-search?text=" + OSAKA_CLINIC));
    }
}
