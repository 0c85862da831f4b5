package jp.clinsgateway.ig;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import jp.clinsgateway.profiles.ClinicalValidator;
import jp.clinsgateway.profiles.GuideReconciliation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an EMR built to today's guides sends is judged on the held 1.5.2 packages as the
 * {@link GuideReconciliation} list says: each entry with a realistic example derived from the
 * guide's examples (the demo data).
 */
class TodaysGuideShapesTest {

    private static final String CLINS_FLAGS = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication";
    private static final String DOCUMENT_SECTION = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section";
    private static ClinicalValidator validator;

    @BeforeAll
    static void loadValidator() {
        validator = GuideFiles.validator();
    }

    // ------------------------------------------------------------------ 1.5.3 / 1.5.5: versioned profiles

    @ParameterizedTest(name = "{0} declaring JP-CLINS 1.11.0, JP Core 1.2.0, eCheckupReport 1.4.0 is valid")
    @MethodSource("jp.clinsgateway.ig.GuideFiles#examples")
    void everyExampleDeclaringTodaysVersionsIsValidAndEachDeclarationSaysWhichVersionJudgedIt(Path file) {
        Resource example = declare(GuideFiles.parse(file), "1.11.0", "1.2.0", "1.4.0");

        List<SingleValidationMessage> messages = validator.validate(example).getMessages();

        assertEquals(List.of(), errors(messages), () -> file.getFileName() + ": " + describe(errors(messages)));
        List<String> versionedPaths = versionedProfilePaths(example, example.fhirType());
        assertFalse(versionedPaths.isEmpty());
        for (String path : versionedPaths) {
            assertTrue(messages.stream().anyMatch(m -> m.getSeverity() == ResultSeverityEnum.INFORMATION
                            && path.equals(m.getLocationString()) && GuideReconciliation.GUIDE_VERSION_MESSAGE.equals(m.getMessageId())
                            && m.getMessage().contains("validated against the ")),
                    () -> "no version note at " + path + " in " + file.getFileName());
        }
    }

    @ParameterizedTest(name = "JP_Condition_eCS|{0} is an error naming the accepted versions")
    @ValueSource(strings = {"2.0.0", "1.14.0", "1.4.1", "1.5.1", "latest"})
    void aVersionOutsideTheFamilyIsAnErrorNamingTheAcceptedVersions(String version) {
        Bundle diagnoses = GuideFiles.example("clins-condition-saito-tokyo", Bundle.class);
        diagnoses.getEntry().get(1).getResource().getMeta().getProfile().get(0).setValue(
                "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Condition_eCS|" + version);

        List<SingleValidationMessage> errors = errors(validator.validate(diagnoses).getMessages());

        assertTrue(errors.stream().anyMatch(m -> "Bundle.entry[1].resource.meta.profile[0]".equals(m.getLocationString())
                && m.getMessage().contains("JP-CLINS 1.5.2 to 1.13.x")), () -> describe(errors));
    }

    @ParameterizedTest(name = "JP_Condition_eCS|{0} is accepted")
    @ValueSource(strings = {"1.5.2", "1.5.3", "1.9.0", "1.11.0", "1.12.0-preR1", "1.13.0-preR1", "1"})
    void everyVersionOfTheFamilyAndTheHeldDefinitionsOwnVersionAreAccepted(String version) {
        Bundle diagnoses = GuideFiles.example("clins-condition-saito-tokyo", Bundle.class);
        diagnoses.getEntry().get(1).getResource().getMeta().getProfile().get(0).setValue(
                "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Condition_eCS|" + version);

        List<SingleValidationMessage> messages = validator.validate(diagnoses).getMessages();

        assertEquals(List.of(), errors(messages), () -> describe(errors(messages)));
        assertTrue(messages.stream().anyMatch(m -> "Bundle.entry[1].resource.meta.profile[0]".equals(m.getLocationString())
                && m.getSeverity() == ResultSeverityEnum.INFORMATION && m.getMessage().contains("JP-CLINS 1.5.2")));
    }

    @Test
    void anItemDeclaringAnotherProfileStillBreaksValidEntryProfile() {
        Bundle diagnoses = GuideFiles.example("clins-condition-saito-tokyo", Bundle.class);
        diagnoses.getEntry().get(1).getResource().getMeta().getProfile().get(0).setValue(
                "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Condition");

        List<SingleValidationMessage> errors = errors(validator.validate(diagnoses).getMessages());

        assertTrue(errors.stream().anyMatch(m -> m.getMessage().contains("validEntryProfile-Condition")), () -> describe(errors));
    }

    // ------------------------------------------------------------------ 1.5.3: already optional in 1.5.2

    @Test
    void aPrescriptionWithoutDispenseRequestIsValid() {
        Bundle prescriptions = GuideFiles.example("clins-medication-yoshida-tokyo", Bundle.class);
        prescriptions.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(MedicationRequest.class::isInstance).map(MedicationRequest.class::cast)
                .forEach(m -> m.setDispenseRequest(null));

        assertEquals(List.of(), errors(validator.validate(prescriptions).getMessages()));
    }

    @Test
    void aPatientAddressWithOnlyItsTextIsValid() {
        Bundle diagnoses = GuideFiles.example("clins-condition-yoshida-tokyo", Bundle.class);
        Patient patient = (Patient) diagnoses.getEntryFirstRep().getResource();
        patient.getAddress().forEach(a -> a.setCity(null).setState(null).setPostalCode(null).getLine().clear());
        assertTrue(patient.getAddressFirstRep().hasText());

        assertEquals(List.of(), errors(validator.validate(diagnoses).getMessages()));
    }

    // ------------------------------------------------------------------ 1.5.4: discharge section codes

    @Test
    void aDischargeSummaryWithTheReferralLettersSectionCodesIsValid() {
        Bundle summary = withSectionCodesOf154(GuideFiles.example("discharge-takahashi-tokyo", Bundle.class));

        List<SingleValidationMessage> messages = validator.validate(summary).getMessages();

        assertEquals(List.of(), errors(messages), () -> describe(errors(messages)));
    }

    @Test
    void aDischargeSummaryWithoutPresentIllnessIsStillAnError() {
        Bundle summary = withSectionCodesOf154(GuideFiles.example("discharge-takahashi-tokyo", Bundle.class));
        structuredSections(summary).removeIf(s -> s.getCode().getCodingFirstRep().getCode().equals("360"));

        List<SingleValidationMessage> errors = errors(validator.validate(summary).getMessages());

        assertTrue(errors.stream().anyMatch(m -> m.getMessage().contains("presentIllnessSection")), () -> describe(errors));
    }

    @Test
    void aDischargeSummaryWithTwoPresentIllnessSectionsIsAnError() {
        Bundle summary = withSectionCodesOf154(GuideFiles.example("discharge-takahashi-tokyo", Bundle.class));
        Composition.SectionComponent presentIllness = structuredSections(summary).stream()
                .filter(s -> s.getCode().getCodingFirstRep().getCode().equals("360")).findFirst().orElseThrow().copy();
        presentIllness.getCode().getCodingFirstRep().setCode("362");
        structuredSections(summary).add(presentIllness);

        assertFalse(errors(validator.validate(summary).getMessages()).isEmpty(), "360 and 362 are one section");
    }

    // ------------------------------------------------------------------ 1.6.0: open meta.tag

    @Test
    void anItemCarryingAnotherSystemsTagIsValid() {
        Bundle diagnoses = GuideFiles.example("clins-condition-saito-tokyo", Bundle.class);
        diagnoses.getEntry().get(1).getResource().getMeta().addTag("http://emr.example.jp/fhir/CodeSystem/chart-tag", "reviewed", "確認済");

        List<SingleValidationMessage> messages = validator.validate(diagnoses).getMessages();

        assertEquals(List.of(), errors(messages), () -> describe(errors(messages)));
    }

    @Test
    void aWrongValueInTheClinsFlagSystemIsStillAnError() {
        Bundle diagnoses = GuideFiles.example("clins-condition-saito-tokyo", Bundle.class);
        diagnoses.getEntry().get(1).getResource().getMeta().addTag(CLINS_FLAGS, "SECRET", null);

        List<SingleValidationMessage> errors = errors(validator.validate(diagnoses).getMessages());

        assertTrue(errors.stream().anyMatch(m -> m.getMessage().contains("gateway-clins-flag-value")
                && m.getLocationString().startsWith("Bundle.entry[1].resource")), () -> describe(errors));
    }

    // ------------------------------------------------------------------ 1.12 (draft): foreign names

    @Test
    void aForeignNameWithoutFamilyNameIsValid() {
        Bundle allergies = GuideFiles.example("clins-allergy-saito-tokyo", Bundle.class);
        Patient patient = (Patient) allergies.getEntryFirstRep().getResource();
        patient.getName().clear();
        patient.addName(foreignName("IDE", "Aminah", "Aminah"));
        patient.addName(foreignName("SYL", "アミナ", "アミナ"));

        List<SingleValidationMessage> messages = validator.validate(allergies).getMessages();

        assertEquals(List.of(), errors(messages), () -> describe(errors(messages)));
    }

    // ------------------------------------------------------------------ later rules: warnings

    @Test
    void aLabResultWithoutPerformerIsAWarningNamingJpClins160() {
        Bundle labs = GuideFiles.example("clins-lab-yoshida-tokyo-october", Bundle.class);

        List<SingleValidationMessage> messages = validator.validate(labs).getMessages();

        assertEquals(List.of(), errors(messages), () -> describe(errors(messages)));
        assertLaterRule(messages, "Bundle.entry[1].resource.performer", "JP-CLINS 1.6.0");
    }

    @Test
    void aLabResultNamingItsPerformerHasNoSuchWarning() {
        Bundle labs = GuideFiles.example("clins-lab-yoshida-tokyo-october", Bundle.class);
        Observation result = (Observation) labs.getEntry().get(1).getResource();
        Practitioner technologist = new Practitioner();
        technologist.setId("technologist");
        technologist.getMeta().addProfile("http://jpfhir.jp/fhir/core/StructureDefinition/JP_Practitioner");
        technologist.addName().setText("検査 花子").setFamily("検査").addGiven("花子");
        result.addContained(technologist);
        result.addPerformer(new Reference("#technologist"));

        List<SingleValidationMessage> messages = validator.validate(labs).getMessages();

        assertEquals(List.of(), errors(messages), () -> describe(errors(messages)));
        assertTrue(messages.stream().noneMatch(m -> "Bundle.entry[1].resource.performer".equals(m.getLocationString())));
    }

    @Test
    void aReferenceRangeInAnotherUnitThanTheValueIsAWarningNamingJpClins190() {
        Bundle labs = GuideFiles.example("clins-lab-yoshida-tokyo", Bundle.class);
        Observation result = (Observation) labs.getEntry().get(1).getResource();
        result.getReferenceRangeFirstRep().getLow().setUnit("mmol/mol").setCode("mmol/mol");

        List<SingleValidationMessage> messages = validator.validate(labs).getMessages();

        assertEquals(List.of(), errors(messages), () -> describe(errors(messages)));
        assertLaterRule(messages, "Bundle.entry[1].resource.referenceRange[0].low", "JP-CLINS 1.9.0");
        assertTrue(messages.stream().noneMatch(m -> "Bundle.entry[1].resource.referenceRange[0].high".equals(m.getLocationString())));
    }

    @Test
    void anAmendedLabResultIsAWarningNamingJpClins1100() {
        Bundle labs = GuideFiles.example("clins-lab-yoshida-tokyo", Bundle.class);
        ((Observation) labs.getEntry().get(2).getResource()).setStatus(Observation.ObservationStatus.AMENDED);

        List<SingleValidationMessage> messages = validator.validate(labs).getMessages();

        assertEquals(List.of(), errors(messages), () -> describe(errors(messages)));
        assertLaterRule(messages, "Bundle.entry[2].resource.status", "JP-CLINS 1.10.0");
    }

    @Test
    void aRelapsedDiagnosisIsAWarningNamingJpClins1100() {
        Bundle diagnoses = GuideFiles.example("clins-condition-yoshida-tokyo", Bundle.class);
        ((Condition) diagnoses.getEntry().get(1).getResource()).getClinicalStatus().getCodingFirstRep().setCode("relapse");

        List<SingleValidationMessage> messages = validator.validate(diagnoses).getMessages();

        assertEquals(List.of(), errors(messages), () -> describe(errors(messages)));
        assertLaterRule(messages, "Bundle.entry[1].resource.clinicalStatus", "JP-CLINS 1.10.0");
    }

    @Test
    void anInactiveDiagnosisWithAbatementIsAWarningForBoth() {
        Bundle diagnoses = GuideFiles.example("clins-condition-yoshida-tokyo", Bundle.class);
        Condition diagnosis = (Condition) diagnoses.getEntry().get(1).getResource();
        diagnosis.getClinicalStatus().getCodingFirstRep().setCode("inactive");
        diagnosis.setAbatement(new DateTimeType("2026-09-30"));

        List<SingleValidationMessage> messages = validator.validate(diagnoses).getMessages();

        assertEquals(List.of(), errors(messages), () -> describe(errors(messages)));
        assertLaterRule(messages, "Bundle.entry[1].resource.clinicalStatus", "JP-CLINS 1.10.0");
        assertLaterRule(messages, "Bundle.entry[1].resource.abatementDateTime", "JP-CLINS 1.10.0");
    }

    @Test
    void aResolvedDiagnosisWithAbatementHasNoWarning() {
        Bundle diagnoses = GuideFiles.example("clins-condition-yoshida-tokyo", Bundle.class);
        Condition diagnosis = (Condition) diagnoses.getEntry().get(1).getResource();
        diagnosis.getClinicalStatus().getCodingFirstRep().setCode("resolved");
        diagnosis.setAbatement(new DateTimeType("2026-09-30"));

        List<SingleValidationMessage> messages = validator.validate(diagnoses).getMessages();

        assertEquals(List.of(), errors(messages), () -> describe(errors(messages)));
        assertTrue(messages.stream().noneMatch(m -> GuideReconciliation.LATER_RULE_MESSAGE.equals(m.getMessageId())), () -> describe(messages));
    }

    // ------------------------------------------------------------------ helpers

    private static void assertLaterRule(List<SingleValidationMessage> messages, String path, String version) {
        assertTrue(messages.stream().anyMatch(m -> m.getSeverity() == ResultSeverityEnum.WARNING && path.equals(m.getLocationString())
                        && GuideReconciliation.LATER_RULE_MESSAGE.equals(m.getMessageId()) && m.getMessage().startsWith(version)),
                () -> "no " + version + " warning at " + path + ": " + describe(messages));
    }

    /** As JP-CLINS 1.5.4 writes it: 360/370 instead of 362/372, with family (550) and social history (640) sections. */
    private static Bundle withSectionCodesOf154(Bundle summary) {
        List<Composition.SectionComponent> sections = structuredSections(summary);
        for (Composition.SectionComponent section : sections) {
            Coding coding = section.getCode().getCodingFirstRep();
            if ("362".equals(coding.getCode())) {
                coding.setCode("360");
            } else if ("372".equals(coding.getCode())) {
                coding.setCode("370");
            }
        }
        sections.add(section("家族歴", "550", "家族歴セクション", "父：高血圧症、脳梗塞（70歳）。母：2型糖尿病。"));
        sections.add(section("社会歴・生活習慣", "640", "社会歴・生活習慣セクション", "喫煙歴なし。飲酒は機会飲酒。夫と二人暮らし、ADLは自立。"));
        return summary;
    }

    private static List<Composition.SectionComponent> structuredSections(Bundle summary) {
        return ((Composition) summary.getEntryFirstRep().getResource()).getSectionFirstRep().getSection();
    }

    private static Composition.SectionComponent section(String title, String code, String display, String text) {
        Composition.SectionComponent section = new Composition.SectionComponent().setTitle(title);
        section.setCode(new CodeableConcept(new Coding(DOCUMENT_SECTION, code, display)));
        section.getText().setStatus(Narrative.NarrativeStatus.ADDITIONAL)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + text + "</div>");
        return section;
    }

    private static HumanName foreignName(String representation, String text, String given) {
        HumanName name = new HumanName().setUse(HumanName.NameUse.OFFICIAL).setText(text).addGiven(given);
        name.addExtension("http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation",
                new org.hl7.fhir.r4.model.CodeType(representation));
        return name;
    }

    /** Every JP profile declared with a version, as an EMR built to a newer guide sends it. */
    static Resource declare(Resource resource, String clins, String core, String checkup) {
        for (CanonicalType profile : resource.getMeta().getProfile()) {
            String url = profile.getValue();
            if (url.startsWith("http://jpfhir.jp/") && !url.contains("|")) {
                profile.setValue(url + "|" + (url.contains("/fhir/core/") ? core : url.contains("/fhir/eCheckup/") ? checkup : clins));
            }
        }
        if (resource instanceof DomainResource domain) {
            domain.getContained().forEach(c -> declare(c, clins, core, checkup));
        }
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().forEach(e -> declare(e.getResource(), clins, core, checkup));
        }
        return resource;
    }

    private static List<String> versionedProfilePaths(Resource resource, String path) {
        List<String> paths = new java.util.ArrayList<>();
        List<CanonicalType> profiles = resource.getMeta().getProfile();
        for (int j = 0; j < profiles.size(); j++) {
            if (profiles.get(j).getValue().startsWith("http://jpfhir.jp/") && profiles.get(j).getValue().contains("|")) {
                paths.add(path + ".meta.profile[" + j + "]");
            }
        }
        if (resource instanceof DomainResource domain) {
            for (int k = 0; k < domain.getContained().size(); k++) {
                paths.addAll(versionedProfilePaths(domain.getContained().get(k), path + ".contained[" + k + "]"));
            }
        }
        if (resource instanceof Bundle bundle) {
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                paths.addAll(versionedProfilePaths(bundle.getEntry().get(i).getResource(), path + ".entry[" + i + "].resource"));
            }
        }
        return paths;
    }

    private static List<SingleValidationMessage> errors(List<SingleValidationMessage> messages) {
        return messages.stream().filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()).toList();
    }

    private static String describe(List<SingleValidationMessage> messages) {
        return messages.stream().map(m -> m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage())
                .collect(Collectors.joining("\n"));
    }
}
