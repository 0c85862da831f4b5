package jp.clinsgateway.server.support;

import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

import java.util.Optional;
import java.util.UUID;

/**
 * Builds a valid document for a test: {@code DocumentBuilder.referralLetter().from(TOKYO_CENTRAL)
 * .to(OSAKA_CLINIC).forPatient(p).build()}. Starts from a validated example and rewrites the
 * institutions, the patient and the identifiers.
 */
public final class DocumentBuilder {

    private final String typeCode;
    private String institution = Institutions.TOKYO_CENTRAL;
    private String recipient;
    private TestPatient patient = TestPatient.aPatient();
    private final String documentId = UUID.randomUUID().toString();

    private DocumentBuilder(String typeCode) {
        this.typeCode = typeCode;
    }

    public static DocumentBuilder referralLetter() {
        return new DocumentBuilder("57133-1");
    }

    public static DocumentBuilder dischargeSummary() {
        return new DocumentBuilder("18842-5");
    }

    public static DocumentBuilder checkupReport() {
        return new DocumentBuilder("53576-5");
    }

    public DocumentBuilder from(String institutionCode) {
        this.institution = institutionCode;
        return this;
    }

    public DocumentBuilder to(String recipientInstitution) {
        this.recipient = recipientInstitution;
        return this;
    }

    public DocumentBuilder forPatient(TestPatient testPatient) {
        this.patient = testPatient;
        return this;
    }

    public String identifier() {
        return documentId;
    }

    public Bundle build() {
        Bundle example = Examples.documentOfType(typeCode);
        String json = FhirHttp.FHIR.newJsonParser().encodeResourceToString(example);
        Composition composition = (Composition) example.getEntryFirstRep().getResource();
        // Institution codes appear in several places (organisations, local patient ID systems,
        // extensions): move every occurrence, as a real sender's document would have them.
        String author = institutionOf(example, composition.getCustodian().getReference()).orElseThrow();
        json = json.replace(author, institution);
        if (recipient != null) {
            String exampleRecipient = recipientOf(example).orElseThrow();
            json = json.replace(exampleRecipient, recipient);
        }
        Bundle bundle = FhirHttp.FHIR.newJsonParser().parseResource(Bundle.class, json);
        bundle.setId((String) null);
        bundle.getIdentifier().setValue(documentId);
        Composition rewritten = (Composition) bundle.getEntryFirstRep().getResource();
        rewritten.getIdentifier().setValue(institution + "^2026^" + documentId);
        Patient p = (Patient) entry(bundle, rewritten.getSubject().getReference()).orElseThrow();
        p.getIdentifier().removeIf(i -> JpIdentifiers.INSURANCE_MEMBER_ID.equals(i.getSystem()));
        p.addIdentifier().setSystem(JpIdentifiers.INSURANCE_MEMBER_ID).setValue(patient.memberId());
        p.getName().get(0).setText(patient.fullName()).setFamily(patient.family()).getGiven().clear();
        p.getName().get(0).addGiven(patient.given());
        return bundle;
    }

    private static Optional<String> recipientOf(Bundle bundle) {
        Composition composition = (Composition) bundle.getEntryFirstRep().getResource();
        return composition.getSection().stream()
                .filter(s -> s.getCode().getCoding().stream().anyMatch(c -> "910".equals(c.getCode())))
                .flatMap(s -> s.getEntry().stream())
                .map(r -> institutionOf(bundle, r.getReference()))
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static Optional<String> institutionOf(Bundle bundle, String reference) {
        return entry(bundle, reference)
                .filter(Organization.class::isInstance)
                .flatMap(o -> ((Organization) o).getIdentifier().stream()
                        .filter(i -> JpIdentifiers.INSTITUTION_NUMBER.equals(i.getSystem()))
                        .map(Identifier::getValue)
                        .findFirst());
    }

    private static Optional<Resource> entry(Bundle bundle, String reference) {
        return bundle.getEntry().stream()
                .filter(e -> reference != null && reference.equals(e.getFullUrl()))
                .map(Bundle.BundleEntryComponent::getResource)
                .findFirst();
    }
}
