package jp.clinsgateway.profiles;

import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The rules later JP-CLINS versions added that would refuse what the held 1.5.2 accepts. Until the
 * matching package can be loaded they are checked here, after validation, and reported as warnings
 * with the element path; they never reject. Each is listed, with its version, in
 * {@link GuideReconciliation}.
 */
final class LaterGuideRules {

    private static final Set<String> LAB_STATUS_EXCLUDED = Set.of("amended", "entered-in-error", "unknown");
    private static final Set<String> CLINICAL_STATUS_EXCLUDED = Set.of("recurrence", "relapse", "inactive");
    private static final Set<String> ABATED = Set.of("remission", "resolved");
    private static final String CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";

    private LaterGuideRules() {
    }

    /**
     * A resource of the checked content.
     *
     * @param path       where it is, e.g. {@code Bundle.entry[2].resource}
     * @param clinsEntry whether it is an item of a JP_Bundle_CLINS
     */
    record Checked(Resource resource, String path, boolean clinsEntry) {

        boolean declares(String profileUrl) {
            return resource.getMeta().getProfile().stream().map(CanonicalType::getValue).filter(Objects::nonNull)
                    .anyMatch(p -> p.equals(profileUrl) || p.startsWith(profileUrl + "|"));
        }

        boolean isLabResult() {
            return resource instanceof Observation && (clinsEntry || declares(JpProfiles.OBSERVATION_LAB_RESULT));
        }

        boolean isDiagnosis() {
            return resource instanceof Condition && (clinsEntry || declares(JpProfiles.CONDITION));
        }
    }

    /** Where a later rule is not met, and what it asks. */
    record Finding(String path, String message) {
    }

    /** One rule of a later guide. */
    @FunctionalInterface
    interface Rule {
        List<Finding> check(Checked checked);
    }

    /** 1.6.0: an Observation in JP_Bundle_CLINS without performer is an error. */
    static List<Finding> observationPerformer(Checked checked) {
        if (checked.clinsEntry() && checked.resource() instanceof Observation observation && !observation.hasPerformer()) {
            return List.of(new Finding(checked.path() + ".performer",
                    "an Observation in a JP_Bundle_CLINS names who performed it (performer)"));
        }
        return List.of();
    }

    /** 1.9.0: a reference range's unit is optional but, when given, equals the value's unit. */
    static List<Finding> referenceRangeUnit(Checked checked) {
        if (!checked.isLabResult() || !((Observation) checked.resource()).hasValueQuantity()) {
            return List.of();
        }
        Observation observation = (Observation) checked.resource();
        Quantity value = observation.getValueQuantity();
        List<Finding> findings = new ArrayList<>();
        for (int k = 0; k < observation.getReferenceRange().size(); k++) {
            Observation.ObservationReferenceRangeComponent range = observation.getReferenceRange().get(k);
            String at = checked.path() + ".referenceRange[" + k + "]";
            if (range.hasLow() && !sameUnit(range.getLow(), value)) {
                findings.add(new Finding(at + ".low", unitMismatch(range.getLow(), value)));
            }
            if (range.hasHigh() && !sameUnit(range.getHigh(), value)) {
                findings.add(new Finding(at + ".high", unitMismatch(range.getHigh(), value)));
            }
        }
        return findings;
    }

    private static boolean sameUnit(Quantity bound, Quantity value) {
        if (!bound.hasCode() && !bound.hasUnit()) {
            return true; // the unit of a range is optional
        }
        if (bound.hasCode() && value.hasCode()) {
            return bound.getCode().equals(value.getCode()) && Objects.equals(bound.getSystem(), value.getSystem());
        }
        return Objects.equals(bound.getUnit(), value.getUnit());
    }

    private static String unitMismatch(Quantity bound, Quantity value) {
        return "the reference range's unit (" + unitOf(bound) + ") is the value's unit (" + unitOf(value) + ")";
    }

    private static String unitOf(Quantity quantity) {
        return quantity.hasCode() ? quantity.getCode() : quantity.hasUnit() ? quantity.getUnit() : "none";
    }

    /** 1.10.0: a lab result's status is not amended, entered-in-error or unknown. */
    static List<Finding> labResultStatus(Checked checked) {
        if (checked.isLabResult() && ((Observation) checked.resource()).hasStatus()
                && LAB_STATUS_EXCLUDED.contains(((Observation) checked.resource()).getStatus().toCode())) {
            return List.of(new Finding(checked.path() + ".status", "a lab result's status is none of "
                    + String.join(", ", LAB_STATUS_EXCLUDED.stream().sorted().toList()) + "; got '"
                    + ((Observation) checked.resource()).getStatus().toCode() + "'"));
        }
        return List.of();
    }

    /** 1.10.0: a diagnosis' clinicalStatus is not recurrence, relapse or inactive. */
    static List<Finding> conditionClinicalStatus(Checked checked) {
        if (!checked.isDiagnosis()) {
            return List.of();
        }
        return clinicalStatusCodes((Condition) checked.resource()).stream()
                .filter(CLINICAL_STATUS_EXCLUDED::contains)
                .map(code -> new Finding(checked.path() + ".clinicalStatus", "a diagnosis' clinicalStatus is none of "
                        + String.join(", ", CLINICAL_STATUS_EXCLUDED.stream().sorted().toList()) + "; got '" + code + "'"))
                .toList();
    }

    /** 1.10.0: a diagnosis with abatementDateTime is in remission or resolved. */
    static List<Finding> abatementNeedsRemissionOrResolved(Checked checked) {
        if (!checked.isDiagnosis() || !((Condition) checked.resource()).hasAbatementDateTimeType()) {
            return List.of();
        }
        Condition condition = (Condition) checked.resource();
        if (clinicalStatusCodes(condition).stream().anyMatch(ABATED::contains)) {
            return List.of();
        }
        return List.of(new Finding(checked.path() + ".abatementDateTime",
                "a diagnosis with abatementDateTime has clinicalStatus remission or resolved"));
    }

    private static List<String> clinicalStatusCodes(Condition condition) {
        return condition.getClinicalStatus().getCoding().stream()
                .filter(c -> CONDITION_CLINICAL.equals(c.getSystem()))
                .map(Coding::getCode)
                .filter(Objects::nonNull)
                .toList();
    }
}
