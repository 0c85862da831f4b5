package jp.clinsgateway.profiles;

import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Every documented change of the JP guides after the versions whose packages the gateway holds
 * (JP-CLINS 1.5.2, JP Core 1.1.2, eCheckupReport 1.0.0-temp) that changes what the gateway accepts,
 * and how each is handled: the one list. {@link JpConformanceResources} applies the relaxations to
 * its in-memory copies, {@link ClinicalValidator} checks the tightening rules after validation, the
 * README and the implementation guide's description render this list (a test keeps them in step).
 *
 * <p>Changes that relax or rename are reconciled in memory so that today's shapes validate on the
 * held packages; rules added later that would refuse what 1.5.2 accepts are warnings, never errors,
 * until the matching package can be loaded.
 */
public final class GuideReconciliation {

    /** The {@code messageId} prefix of every issue the gateway adds to the validator's. */
    public static final String MESSAGE_ID_PREFIX = "clins-gateway-";
    /** Which version a declared profile was validated against (information), or that it cannot be (error). */
    public static final String GUIDE_VERSION_MESSAGE = MESSAGE_ID_PREFIX + "guide-version";
    /** A rule of a later guide not met (warning). */
    public static final String LATER_RULE_MESSAGE = MESSAGE_ID_PREFIX + "later-guide-rule";

    /** How a change is handled on the held packages. */
    public enum Handling {
        /** Declarations of the later version are validated against the held definition, with a note. */
        VERSION_MAPPED("validated against the held definition, with an information issue naming both versions"),
        /** The held definition is relaxed in memory (the files stay unchanged). */
        RELAXED_IN_MEMORY("relaxed in memory"),
        /** Already allowed by the held definitions: nothing to change, kept by a test. */
        ALREADY_ACCEPTED("already accepted by the held definitions"),
        /** Checked after validation and reported as a warning, never an error. */
        WARNED("warning until the matching package can be loaded");

        private final String words;

        Handling(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** One upstream change and how the gateway handles it. */
    public static final class UpstreamChange {
        private final JpGuide guide;
        private final String version;
        private final String change;
        private final Handling handling;
        private final String how;
        private final Consumer<Map<String, MetadataResource>> relaxation;
        private final LaterGuideRules.Rule rule;

        private UpstreamChange(JpGuide guide, String version, String change, Handling handling, String how,
                               Consumer<Map<String, MetadataResource>> relaxation, LaterGuideRules.Rule rule) {
            this.guide = guide;
            this.version = version;
            this.change = change;
            this.handling = handling;
            this.how = how;
            this.relaxation = relaxation;
            this.rule = rule;
        }

        public JpGuide guide() {
            return guide;
        }

        /** The upstream version that made the change, e.g. "1.5.4" or "1.12 (draft)". */
        public String version() {
            return version;
        }

        public String change() {
            return change;
        }

        public Handling handling() {
            return handling;
        }

        /** What exactly the gateway does about it. */
        public String how() {
            return how;
        }

        /** One line for the README and the implementation guide. */
        public String describe() {
            return guide.title() + " " + version + ": " + change + " — " + handling.words() + ": " + how;
        }

        Optional<Consumer<Map<String, MetadataResource>>> relaxation() {
            return Optional.ofNullable(relaxation);
        }

        Optional<LaterGuideRules.Rule> rule() {
            return Optional.ofNullable(rule);
        }
    }

    public static final UpstreamChange VERSIONED_PROFILES = new UpstreamChange(JpGuide.JP_CLINS, "1.5.3",
            "every profile is versioned; meta.profile may carry |x.y.z (an unversioned one means the newest guide at receipt)",
            Handling.VERSION_MAPPED,
            "url|version of " + Arrays.stream(JpGuide.values()).map(g -> g.title() + " " + g.acceptedVersions())
                    .collect(Collectors.joining(", ")) + " is validated against the held definition of url, and the JP invariants "
                    + "that compare a declared profile exactly (contained JP_Encounter in JP_Bundle_CLINS, the checkup report Bundles' "
                    + "entries) accept url|version; any other version is an error naming the accepted ones",
            InMemoryRelaxations::versionedProfilesInInvariants, null);

    public static final UpstreamChange ENTRY_PROFILE_INVARIANTS = new UpstreamChange(JpGuide.JP_CLINS, "1.5.5",
            "the validEntryProfile-* invariants of JP_Bundle_CLINS, JP_Bundle_eReferral and JP_Bundle_eDischargeSummary, which "
                    + "always failed when an entry declared its profile with a version, are fixed",
            Handling.RELAXED_IN_MEMORY,
            "each invariant reads " + InMemoryRelaxations.entryProfileExpression("Condition", JpProfiles.CONDITION)
                    + " (for its own type and profile): every entry of the type declares the profile, with or without a version",
            InMemoryRelaxations::entryProfileInvariants, null);

    public static final UpstreamChange DISPENSE_REQUEST_OPTIONAL = new UpstreamChange(JpGuide.JP_CLINS, "1.5.3",
            "MedicationRequest dispenseRequest optional", Handling.ALREADY_ACCEPTED,
            "JP_MedicationRequest_eCS 1.5.2 already has dispenseRequest 0..1", null, null);

    public static final UpstreamChange ADDRESS_CITY_STATE_OPTIONAL = new UpstreamChange(JpGuide.JP_CLINS, "1.5.3",
            "Patient address.city and address.state optional", Handling.ALREADY_ACCEPTED,
            "JP_Patient_eCS 1.5.2 already has address.city and address.state 0..1 (address.text stays required)", null, null);

    public static final UpstreamChange DISCHARGE_SECTION_CODES = new UpstreamChange(JpGuide.JP_CLINS, "1.5.4",
            "discharge-summary section codes 362→360, 372→370, 552→550, 642→640 (the referral letter's codes)",
            Handling.RELAXED_IN_MEMORY,
            "the present-illness, past-illness, family-history and social-history sections of JP_Composition_eDischargeSummary "
                    + "accept either code (a required binding to the two codes instead of the fixed 1.5.2 code), and the discharge "
                    + "section ValueSet holds the four new codes",
            InMemoryRelaxations::dischargeSectionCodes, null);

    public static final UpstreamChange OPEN_META_TAG = new UpstreamChange(JpGuide.JP_CLINS, "1.6.0",
            "meta.tag slicing of the item profiles is open (other systems' tags allowed); a wrong value in the CLINS flag system "
                    + "is an error",
            Handling.RELAXED_IN_MEMORY,
            "the closed meta.tag slicing of JP_Condition_eCS, JP_AllergyIntolerance_eCS, JP_Observation_LabResult_eCS and "
                    + "JP_MedicationRequest_eCS is opened; a tag in " + InMemoryRelaxations.CLINS_FLAGS
                    + " must still be one of the profile's flags (an in-memory invariant, error)",
            InMemoryRelaxations::openMetaTagSlicing, null);

    public static final UpstreamChange FOREIGN_NAMES = new UpstreamChange(JpGuide.JP_CLINS, "1.12 (draft)",
            "JP_Patient_eCS name.family optional (foreign names without a family name)", Handling.RELAXED_IN_MEMORY,
            "Patient.name.family of JP_Patient_eCS is 0..1 in memory", InMemoryRelaxations::foreignNamesWithoutFamily, null);

    public static final UpstreamChange OBSERVATION_PERFORMER = new UpstreamChange(JpGuide.JP_CLINS, "1.6.0",
            "an Observation without performer is an error in JP_Bundle_CLINS", Handling.WARNED,
            "Observation items of a JP_Bundle_CLINS without performer: warning at .performer", null,
            LaterGuideRules::observationPerformer);

    public static final UpstreamChange REFERENCE_RANGE_UNIT = new UpstreamChange(JpGuide.JP_CLINS, "1.9.0",
            "referenceRange unit optional, but equal to the value's unit", Handling.WARNED,
            "lab results (JP_Observation_LabResult_eCS or CLINS Observation items) whose referenceRange low/high unit differs "
                    + "from valueQuantity's: warning at .referenceRange[n].low/.high", null, LaterGuideRules::referenceRangeUnit);

    public static final UpstreamChange LAB_STATUS = new UpstreamChange(JpGuide.JP_CLINS, "1.10.0",
            "lab result status excludes amended, entered-in-error and unknown", Handling.WARNED,
            "lab results with one of those statuses: warning at .status", null, LaterGuideRules::labResultStatus);

    public static final UpstreamChange CONDITION_CLINICAL_STATUS = new UpstreamChange(JpGuide.JP_CLINS, "1.10.0",
            "Condition clinicalStatus excludes recurrence, relapse and inactive", Handling.WARNED,
            "diagnoses (JP_Condition_eCS or CLINS Condition items) with one of those codes: warning at .clinicalStatus", null,
            LaterGuideRules::conditionClinicalStatus);

    public static final UpstreamChange ABATEMENT = new UpstreamChange(JpGuide.JP_CLINS, "1.10.0",
            "Condition abatementDateTime needs clinicalStatus remission or resolved", Handling.WARNED,
            "diagnoses with abatementDateTime and another clinicalStatus: warning at .abatementDateTime", null,
            LaterGuideRules::abatementNeedsRemissionOrResolved);

    private static final List<UpstreamChange> ALL = List.of(
            VERSIONED_PROFILES, DISPENSE_REQUEST_OPTIONAL, ADDRESS_CITY_STATE_OPTIONAL, DISCHARGE_SECTION_CODES,
            ENTRY_PROFILE_INVARIANTS, OPEN_META_TAG, OBSERVATION_PERFORMER, REFERENCE_RANGE_UNIT, LAB_STATUS,
            CONDITION_CLINICAL_STATUS, ABATEMENT, FOREIGN_NAMES);

    /**
     * Documented changes that are <em>not</em> reconciled: what they ask is judged by the held 1.5.2
     * rules (so a sender following them may still be refused, or not be checked for them).
     */
    public static final List<String> NOT_RECONCILED = List.of(
            "JP-CLINS 1.5.3: Dosage timing.code.coding 1..* (a dummy code when uncoded) — not checked",
            "JP-CLINS 1.5.5: identifier system/value checks on eReferral, eDischargeSummary and ePCS Bundles — not checked",
            "JP-CLINS 1.6.0: LTS only on infection results — not checked",
            "JP-CLINS 1.7–1.8: code systems for qualitative results (PosNeg, urine, ABO, Rh) and terminology 1.3.0 — unknown codes are warnings",
            "JP-CLINS 1.9.0: local lab code required in CLINS Observations — not checked",
            "JP-CLINS 1.10.0/1.11.0: 生活保護 (welfare) identifier on Patient, the fixed 10-digit institution-number check, explicit "
                    + "cardinalities (meta 1..1, MedicationRequest identifier 3..*, reaction.manifestation.text 1..1) — judged by 1.5.2",
            "JP Core 1.2.0: URL system URIs instead of OIDs, the Coverage insured-person identifier format, new Specimen and "
                    + "ServiceRequest profiles — judged by JP Core 1.1.2 (an identifier with a 1.2.0 URL system may be refused)");

    private GuideReconciliation() {
    }

    /** The list, in upstream version order. */
    public static List<UpstreamChange> all() {
        return ALL;
    }

    /** Whether an issue of an OperationOutcome is one the gateway added (a version note or a later rule), not the validator's. */
    public static boolean addedByTheGateway(OperationOutcome.OperationOutcomeIssueComponent issue) {
        return issue.getDetails().getCoding().stream()
                .anyMatch(c -> c.getCode() != null && c.getCode().startsWith(MESSAGE_ID_PREFIX));
    }

    /** Applies every in-memory relaxation to the held definitions. */
    static void relaxInMemory(Map<String, MetadataResource> byUrl) {
        ALL.forEach(change -> change.relaxation().ifPresent(relax -> relax.accept(byUrl)));
    }

    /** The changes checked after validation. */
    static List<UpstreamChange> laterRules() {
        return ALL.stream().filter(c -> c.rule().isPresent()).toList();
    }
}
