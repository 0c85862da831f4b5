package jp.clinsgateway.server.submission;

import jp.clinsgateway.consent.ShareCategory;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;

import java.util.Optional;
import java.util.Set;

/** Which of the six information items a submitted resource is. */
public final class ItemCategories {

    /** JP-CLINS code systems of the designated infection tests (JLAC10 and JLAC11 editions). */
    private static final Set<String> INFECTION_TEST_SYSTEMS = Set.of(
            "http://jpfhir.jp/fhir/clins/CodeSystem/JLAC10/JP_CLINS_ObsLabResult_InfectionLabo_CS",
            "http://jpfhir.jp/fhir/clins/CodeSystem/JLAC11/JP_CLINS_ObsLabResult_InfectionLabo_CS");

    private ItemCategories() {
    }

    public static Optional<ShareCategory> of(Resource item) {
        if (item instanceof Condition) {
            return Optional.of(ShareCategory.DIAGNOSIS);
        }
        if (item instanceof AllergyIntolerance allergy) {
            boolean medication = allergy.getCategory().stream()
                    .anyMatch(c -> c.getValue() == AllergyIntolerance.AllergyIntoleranceCategory.MEDICATION);
            return Optional.of(medication ? ShareCategory.CONTRAINDICATION : ShareCategory.ALLERGY);
        }
        if (item instanceof Observation observation) {
            boolean infection = observation.getCode().getCoding().stream()
                    .map(Coding::getSystem)
                    .anyMatch(INFECTION_TEST_SYSTEMS::contains);
            return Optional.of(infection ? ShareCategory.INFECTION : ShareCategory.LAB_RESULT);
        }
        if (item instanceof MedicationRequest) {
            return Optional.of(ShareCategory.PRESCRIPTION);
        }
        return Optional.empty();
    }
}
