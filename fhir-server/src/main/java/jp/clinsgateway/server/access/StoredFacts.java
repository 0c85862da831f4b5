package jp.clinsgateway.server.access;

import jp.clinsgateway.consent.ConsentRecordFacts;
import jp.clinsgateway.consent.PatientFacts;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.labels.ConsentProvenance;
import jp.clinsgateway.server.labels.PatientRelations;
import jp.clinsgateway.server.labels.ShareLabels;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.submission.ItemCategories;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

import java.util.Optional;

/** The policy's facts, read from stored resources (their labels and references). */
final class StoredFacts {

    private StoredFacts() {
    }

    /** The gateway Patient a stored clinical record belongs to. */
    static Optional<String> patientOf(Resource record) {
        String reference = null;
        if (record instanceof Condition c) {
            reference = c.getSubject().getReference();
        } else if (record instanceof AllergyIntolerance a) {
            reference = a.getPatient().getReference();
        } else if (record instanceof Observation o) {
            reference = o.getSubject().getReference();
        } else if (record instanceof MedicationRequest m) {
            reference = m.getSubject().getReference();
        } else if (record instanceof DocumentReference d) {
            reference = d.getSubject().getReference();
        } else if (record instanceof Bundle b) {
            return ShareLabels.subjectOf(b.getMeta());
        }
        return Optional.ofNullable(reference).filter(r -> r.startsWith("Patient/"))
                .map(r -> new IdType(r).toUnqualifiedVersionless().getValue());
    }

    /** Which category a stored clinical record is (also when its flags keep the category label off it). */
    static Optional<ShareCategory> categoryOf(Resource record) {
        if (record instanceof DocumentReference index) {
            return index.getCategory().stream().flatMap(c -> c.getCoding().stream())
                    .map(c -> ShareCategory.fromCode(c.getCode())).flatMap(Optional::stream).findFirst();
        }
        return ItemCategories.of(record).or(() -> ShareLabels.categoryOf(record.getMeta()));
    }

    static PatientFacts patient(Patient patient) {
        String reference = "Patient/" + patient.getIdElement().getIdPart();
        Optional<String> insurer = patient.getIdentifier().stream()
                .filter(i -> JpIdentifiers.INSURANCE_MEMBER_ID.equals(i.getSystem()) && i.hasValue())
                .map(i -> i.getValue().split(":", 2)[0])
                .findFirst();
        return new PatientFacts(reference, insurer, PatientRelations.relatedInstitutions(patient.getMeta()));
    }

    static ConsentRecordFacts consent(Consent consent) {
        String patient = Optional.ofNullable(consent.getPatient().getReference())
                .map(r -> new IdType(r).toUnqualifiedVersionless().getValue()).orElse("");
        return new ConsentRecordFacts(patient, ConsentProvenance.of(consent));
    }

    static String versionless(Resource resource) {
        return resource.getIdElement().toUnqualifiedVersionless().getValue();
    }
}
