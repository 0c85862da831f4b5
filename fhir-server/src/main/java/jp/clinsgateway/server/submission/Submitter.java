package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads from a Bundle which institution submits it: a document's custodian; an item Bundle's
 * item identifiers; or, for a withdrawal that holds only the Patient, its local patient ID system.
 * Used where no caller identity exists (loading the demo data).
 */
public final class Submitter {

    private Submitter() {
    }

    public static String institutionOf(Bundle bundle) {
        if (bundle.getType() == Bundle.BundleType.DOCUMENT) {
            return DocumentSubmission.authorInstitution(bundle);
        }
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r != null && !(r instanceof Patient))
                .flatMap(Submitter::identifiers)
                .map(i -> ItemIdentifier.parse(i.getValue()))
                .flatMap(Optional::stream)
                .map(ItemIdentifier::institutionCode)
                .findFirst()
                .or(() -> localPatientIdInstitution(bundle))
                .orElseThrow(() -> new IllegalArgumentException(
                        "Cannot tell which institution submits Bundle " + bundle.getIdElement().getIdPart()));
    }

    private static Stream<Identifier> identifiers(Resource resource) {
        Property property = resource.getNamedProperty("identifier");
        return property == null ? Stream.empty()
                : property.getValues().stream().filter(Identifier.class::isInstance).map(Identifier.class::cast);
    }

    private static Optional<String> localPatientIdInstitution(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance)
                .flatMap(p -> ((Patient) p).getIdentifier().stream())
                .map(Identifier::getSystem)
                .filter(Objects::nonNull)
                .filter(s -> s.startsWith(JpIdentifiers.LOCAL_PATIENT_ID_PREFIX))
                .map(s -> s.substring(JpIdentifiers.LOCAL_PATIENT_ID_PREFIX.length()))
                .filter(JpIdentifiers::isInstitutionCode)
                .findFirst();
    }
}
