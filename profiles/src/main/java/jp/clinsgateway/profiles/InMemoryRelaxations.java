package jp.clinsgateway.profiles;

import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionConstraintComponent;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The in-memory edits behind the {@link GuideReconciliation} entries that relax the held
 * definitions. The CC BY-ND files stay unchanged; only the parsed copies the validator uses change.
 */
final class InMemoryRelaxations {

    static final String CLINS_FLAGS = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication";
    private static final String DOCUMENT_SECTION = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section";
    private static final String DISCHARGE_COMPOSITION =
            "http://jpfhir.jp/fhir/eDischargeSummary/StructureDefinition/JP_Composition_eDischargeSummary";
    private static final String DISCHARGE_SECTIONS = "http://jpfhir.jp/fhir/eDischargeSummary/ValueSet/document-section";
    /** Where the in-memory value sets of the reconciliation live; not published, never stored. */
    static final String RECONCILED_VALUE_SETS = "http://clinsgateway.jp/fhir/reconciled/ValueSet/";
    private static final String SECTIONS = "Composition.section:structuredSection.section:";

    /** The four discharge-summary sections whose code 1.5.4 changed to the referral letter's: slice, 1.5.2 code, 1.5.4 code. */
    private static final List<String[]> RENAMED_SECTIONS = List.of(
            new String[]{"presentIllnessSection", "362", "360"},
            new String[]{"pastIllnessSection", "372", "370"},
            new String[]{"familiyHistorySection", "552", "550"},
            new String[]{"socialHistorySection", "642", "640"});

    private static final Pattern THIS_EQUALS = Pattern.compile("\\$this\\s*=\\s*'(http://jpfhir\\.jp/[^'|]+)'");
    private static final Pattern PROFILE_EQUALS = Pattern.compile("(?<![.\\w$])profile\\s*=\\s*'(http://jpfhir\\.jp/[^'|]+)'");
    private static final Pattern OF_TYPE = Pattern.compile("ofType\\((\\w+)\\)");
    private static final Pattern JP_URL = Pattern.compile("'(http://jpfhir\\.jp/[^'|]+)'");

    private InMemoryRelaxations() {
    }

    /**
     * 1.5.3 allows a version on every declared profile. The JP invariants that compare a declared
     * profile with one URL exactly ({@code $this='url'}, {@code meta.where(profile='url')}) then
     * fail; in memory they also accept {@code url|version}.
     */
    static void versionedProfilesInInvariants(Map<String, MetadataResource> byUrl) {
        jpConstraints(byUrl).filter(c -> !c.getKey().startsWith("validEntryProfile-")).forEach(c -> {
            String expression = c.getExpression();
            String tolerant = PROFILE_EQUALS.matcher(expression)
                    .replaceAll(m -> Matcher.quoteReplacement("profile.where(" + sameProfile(m.group(1)) + ").exists()"));
            tolerant = THIS_EQUALS.matcher(tolerant).replaceAll(m -> Matcher.quoteReplacement("(" + sameProfile(m.group(1)) + ")"));
            c.setExpression(tolerant);
        });
    }

    /**
     * 1.5.5 fixed {@code validEntryProfile-*}, which as published in 1.5.2 is false whenever an entry
     * declares its profile with a version. Its meaning ("each entry of the type conforms to some
     * version of the profile") as an expression that accepts {@code url} and {@code url|version}.
     */
    static void entryProfileInvariants(Map<String, MetadataResource> byUrl) {
        jpConstraints(byUrl).filter(c -> c.getKey().startsWith("validEntryProfile-")).forEach(c -> {
            Matcher type = OF_TYPE.matcher(c.getExpression());
            Matcher url = JP_URL.matcher(c.getExpression());
            if (!type.find() || !url.find()) {
                throw new IllegalStateException("Unexpected form of " + c.getKey() + ": " + c.getExpression());
            }
            c.setExpression(entryProfileExpression(type.group(1), url.group(1)));
        });
    }

    static String entryProfileExpression(String resourceType, String profileUrl) {
        return "entry.resource.ofType(" + resourceType + ").all(meta.profile.where(" + sameProfile(profileUrl) + ").exists())";
    }

    private static String sameProfile(String url) {
        return "$this = '" + url + "' or $this.startsWith('" + url + "|')";
    }

    /**
     * 1.5.4 gave the discharge summary's present-illness, past-illness, family-history and
     * social-history sections the referral letter's codes (360, 370, 550, 640) instead of 362, 372,
     * 552, 642. Each of the four slices matches either code (a required binding to a two-code value
     * set instead of the fixed code), and the discharge section value set holds the new codes too.
     */
    static void dischargeSectionCodes(Map<String, MetadataResource> byUrl) {
        StructureDefinition composition = (StructureDefinition) byUrl.get(DISCHARGE_COMPOSITION);
        for (String[] renamed : RENAMED_SECTIONS) {
            String slice = renamed[0];
            ValueSet either = eitherCode(slice, renamed[1], renamed[2]);
            byUrl.put(either.getUrl(), either);
            String codeElement = SECTIONS + slice + ".code.coding.code";
            Stream.concat(composition.getSnapshot().getElement().stream(), composition.getDifferential().getElement().stream())
                    .filter(e -> codeElement.equals(e.getId()))
                    .forEach(e -> {
                        e.setFixed(null);
                        e.getBinding().setStrength(Enumerations.BindingStrength.REQUIRED).setValueSet(either.getUrl())
                                .setDescription("JP-CLINS 1.5.4 code or the 1.5.2 code");
                    });
        }
        ValueSet dischargeSections = (ValueSet) byUrl.get(DISCHARGE_SECTIONS);
        ValueSet.ConceptSetComponent renamedCodes = dischargeSections.getCompose().addInclude().setSystem(DOCUMENT_SECTION);
        RENAMED_SECTIONS.forEach(r -> renamedCodes.addConcept().setCode(r[2]));
    }

    private static ValueSet eitherCode(String slice, String heldCode, String laterCode) {
        ValueSet either = new ValueSet();
        either.setUrl(RECONCILED_VALUE_SETS + "eDischargeSummary-" + slice);
        either.setName("Reconciled_" + slice);
        either.setStatus(Enumerations.PublicationStatus.ACTIVE);
        ValueSet.ConceptSetComponent codes = either.getCompose().addInclude().setSystem(DOCUMENT_SECTION);
        codes.addConcept().setCode(laterCode);
        codes.addConcept().setCode(heldCode);
        return either;
    }

    /**
     * 1.6.0 opened the {@code meta.tag} slicing of the item profiles, so other systems' tags are
     * allowed. A tag in the CLINS flag system must still be one the profile names: 1.6.0 makes a wrong
     * value there an error, as the closed slicing of 1.5.2 did.
     */
    static void openMetaTagSlicing(Map<String, MetadataResource> byUrl) {
        for (MetadataResource resource : byUrl.values()) {
            if (!(resource instanceof StructureDefinition definition) || !definition.hasSnapshot()) {
                continue;
            }
            String tags = definition.getType() + ".meta.tag";
            Optional<ElementDefinition> closed = definition.getSnapshot().getElement().stream()
                    .filter(e -> tags.equals(e.getId()) && e.hasSlicing()
                            && e.getSlicing().getRules() == ElementDefinition.SlicingRules.CLOSED)
                    .findFirst();
            if (closed.isEmpty()) {
                continue;
            }
            List<String> flags = definition.getSnapshot().getElement().stream()
                    .filter(e -> e.getId().startsWith(tags + ":") && e.getId().endsWith(".code") && e.hasFixed())
                    .map(e -> e.getFixed().primitiveValue())
                    .toList();
            Stream.concat(definition.getSnapshot().getElement().stream(), definition.getDifferential().getElement().stream())
                    .filter(e -> tags.equals(e.getId()))
                    .forEach(e -> {
                        if (e.hasSlicing()) {
                            e.getSlicing().setRules(ElementDefinition.SlicingRules.OPEN);
                        }
                        // The flags' required binding on every tag would refuse other systems' tags all the same.
                        if (e.hasBinding() && e.getBinding().hasValueSet() && e.getBinding().getValueSet().contains("JP_ehrshrs_indication")) {
                            e.setBinding(null);
                        }
                    });
            definition.getSnapshot().getElementFirstRep().addConstraint()
                    .setKey("gateway-clins-flag-value")
                    .setSeverity(ElementDefinition.ConstraintSeverity.ERROR)
                    .setHuman("JP-CLINS 1.6.0: a meta.tag in " + CLINS_FLAGS + " is one of " + String.join(", ", flags))
                    .setExpression("meta.tag.where(system = '" + CLINS_FLAGS + "').all(" + flags.stream()
                            .map(f -> "code = '" + f + "'").collect(Collectors.joining(" or ")) + ")")
                    .setSource(definition.getUrl());
        }
    }

    /** 1.12 (draft) makes {@code JP_Patient_eCS name.family} optional: foreign names without a family name. */
    static void foreignNamesWithoutFamily(Map<String, MetadataResource> byUrl) {
        StructureDefinition patient = (StructureDefinition) byUrl.get(JpProfiles.PATIENT);
        Stream.concat(patient.getSnapshot().getElement().stream(), patient.getDifferential().getElement().stream())
                .filter(e -> "Patient.name.family".equals(e.getId()))
                .forEach(e -> e.setMin(0));
    }

    /** The invariants the JP packages add themselves (not those copied from HL7 core). */
    private static Stream<ElementDefinitionConstraintComponent> jpConstraints(Map<String, MetadataResource> byUrl) {
        return byUrl.values().stream()
                .filter(StructureDefinition.class::isInstance).map(StructureDefinition.class::cast)
                .flatMap(d -> Stream.concat(d.getSnapshot().getElement().stream(), d.getDifferential().getElement().stream()))
                .flatMap(e -> e.getConstraint().stream())
                .filter(c -> c.hasExpression() && (c.getSource() == null || !c.getSource().startsWith("http://hl7.org/fhir/StructureDefinition/")));
    }
}
