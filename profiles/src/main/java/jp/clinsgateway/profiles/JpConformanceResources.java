package jp.clinsgateway.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The JP Core, JP-CLINS and eCheckupReport conformance resources, read from the verbatim copies
 * on the classpath and reconciled <em>in memory</em> so that the validator can use them together.
 *
 * <p>The files are CC BY-ND and stay unchanged on disk. The reconciliation fixes what the three
 * packages get wrong when loaded side by side:
 * <ul>
 *   <li>16 canonical URLs are defined twice with different content; JP-CLINS is the sharing
 *       service's own specification, so its copy wins (then JP Core, then eCheckupReport).</li>
 *   <li>The {@code doc-typecodes} CodeSystem exists in two halves (JP-CLINS lacks the checkup
 *       report code 53576-5, eCheckupReport lacks 56447-6): the concepts are merged.</li>
 *   <li>The nested slice {@code Bundle.entry:observation/laboratory} of JP_Bundle_eReferral makes
 *       the HL7 validator throw ("Slice encountered midway through set"); it is dropped. Each entry
 *       is still validated against its own profile through the parent slice.</li>
 *   <li>No discharge summary can conform as published: JP_Composition_eDischargeSummary fixes the
 *       present-illness, past-illness, family-history and social-history section codes to 362, 372,
 *       552 and 642, which the {@code document-section} CodeSystem lacks (it has the referral
 *       letter's 360, 370, 550, 640), and its section ValueSet takes the referral letter's codes
 *       (REF) instead of the discharge summary's (DIS). The four codes are added under DIS and the
 *       ValueSet includes DIS.</li>
 * </ul>
 * Then the changes published upstream after the held versions are reconciled as
 * {@link GuideReconciliation} lists them.
 */
public final class JpConformanceResources {

    /** Folders in precedence order: the first definition of a canonical URL wins. */
    static final List<String> PACKAGE_FOLDERS =
            List.of(JpGuide.JP_CLINS.folder(), JpGuide.JP_CORE.folder(), JpGuide.ECHECKUP_REPORT.folder());

    private static final String ROOT = "jp-fhir/";
    private static final String DOC_TYPE_CODES = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes";
    private static final String UNSUPPORTED_NESTED_SLICE = "Bundle.entry:observation/laboratory";
    private static final String DOCUMENT_SECTION = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section";
    private static final String DISCHARGE_SECTIONS = "http://jpfhir.jp/fhir/eDischargeSummary/ValueSet/document-section";

    private JpConformanceResources() {
    }

    /** Loads and reconciles every conformance resource of the three JP packages. */
    public static List<IBaseResource> load(FhirContext fhirContext) {
        return read(fhirContext).resources();
    }

    /**
     * Loads and reconciles the three JP packages, remembering which package each canonical URL is
     * held from and which packages define it, then applies the upstream changes since the held
     * versions that {@link GuideReconciliation} relaxes in memory.
     */
    public static JpDefinitions read(FhirContext fhirContext) {
        IParser parser = fhirContext.newJsonParser();
        Map<String, MetadataResource> byUrl = new LinkedHashMap<>();
        Map<String, JpGuide> heldFrom = new HashMap<>();
        Map<String, Set<JpGuide>> publishedBy = new HashMap<>();
        List<String> files = listFiles();
        files.sort(Comparator.comparingInt(JpConformanceResources::folderRank));
        for (String file : files) {
            if (!file.contains("/") || folderRank(file) == Integer.MAX_VALUE) {
                continue;
            }
            IBaseResource resource = parser.parseResource(read(ROOT + file));
            if (!(resource instanceof MetadataResource metadata) || metadata.getUrl() == null) {
                continue;
            }
            JpGuide guide = JpGuide.ofFolder(file.substring(0, file.indexOf('/'))).orElseThrow();
            publishedBy.computeIfAbsent(metadata.getUrl(), url -> EnumSet.noneOf(JpGuide.class)).add(guide);
            MetadataResource earlier = byUrl.get(metadata.getUrl());
            if (earlier == null) {
                byUrl.put(metadata.getUrl(), metadata);
                heldFrom.put(metadata.getUrl(), guide);
            } else if (DOC_TYPE_CODES.equals(metadata.getUrl())) {
                mergeConcepts((CodeSystem) earlier, (CodeSystem) metadata);
            }
        }
        byUrl.values().stream()
                .filter(StructureDefinition.class::isInstance)
                .map(StructureDefinition.class::cast)
                .forEach(JpConformanceResources::dropUnsupportedNestedSlice);
        repairDischargeSummarySections((CodeSystem) byUrl.get(DOCUMENT_SECTION), (ValueSet) byUrl.get(DISCHARGE_SECTIONS));
        GuideReconciliation.relaxInMemory(byUrl);
        return new JpDefinitions(byUrl, heldFrom, publishedBy);
    }

    private static int folderRank(String file) {
        int slash = file.indexOf('/');
        int rank = slash < 0 ? -1 : PACKAGE_FOLDERS.indexOf(file.substring(0, slash));
        return rank < 0 ? Integer.MAX_VALUE : rank;
    }

    private static void mergeConcepts(CodeSystem target, CodeSystem other) {
        Set<String> known = new java.util.HashSet<>();
        target.getConcept().forEach(c -> known.add(c.getCode()));
        other.getConcept().stream().filter(c -> known.add(c.getCode())).forEach(target::addConcept);
        target.setCount(target.getConcept().size());
    }

    private static void repairDischargeSummarySections(CodeSystem sections, ValueSet dischargeSections) {
        CodeSystem.ConceptDefinitionComponent discharge = sections.getConcept().stream()
                .filter(c -> "DIS".equals(c.getCode())).findFirst().orElseThrow();
        Set<String> known = new java.util.HashSet<>();
        discharge.getConcept().forEach(c -> known.add(c.getCode()));
        if (known.add("362")) {
            discharge.addConcept().setCode("362").setDisplay("現病歴セクション");
        }
        if (known.add("372")) {
            discharge.addConcept().setCode("372").setDisplay("既往歴セクション");
        }
        if (known.add("552")) {
            discharge.addConcept().setCode("552").setDisplay("家族歴セクション");
        }
        if (known.add("642")) {
            discharge.addConcept().setCode("642").setDisplay("社会歴・生活習慣セクション");
        }
        dischargeSections.getCompose().getInclude().stream()
                .flatMap(include -> include.getFilter().stream())
                .filter(filter -> "REF".equals(filter.getValue()))
                .forEach(filter -> filter.setValue("DIS"));
    }

    private static void dropUnsupportedNestedSlice(StructureDefinition definition) {
        Predicate<ElementDefinition> nested = e -> e.getId() != null
                && (e.getId().equals(UNSUPPORTED_NESTED_SLICE) || e.getId().startsWith(UNSUPPORTED_NESTED_SLICE + "."));
        boolean dropped = definition.getSnapshot().getElement().stream().anyMatch(nested);
        removeIf(definition.getSnapshot().getElement(), nested);
        removeIf(definition.getDifferential().getElement(), nested);
        if (dropped) {
            // Without its reslice the parent slice must not declare slicing either, or the
            // validator reads it as a second slicing of Bundle.entry midway through the first.
            String parent = UNSUPPORTED_NESTED_SLICE.substring(0, UNSUPPORTED_NESTED_SLICE.indexOf('/'));
            definition.getSnapshot().getElement().stream().filter(e -> parent.equals(e.getId()))
                    .forEach(e -> e.setSlicing(null));
            definition.getDifferential().getElement().stream().filter(e -> parent.equals(e.getId()))
                    .forEach(e -> e.setSlicing(null));
        }
    }

    private static void removeIf(Collection<ElementDefinition> elements, Predicate<ElementDefinition> predicate) {
        elements.removeIf(predicate);
    }

    private static List<String> listFiles() {
        String index = read(ROOT + "index.txt");
        List<String> files = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new java.io.StringReader(index))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    files.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String read(String classpathName) {
        try (InputStream in = JpConformanceResources.class.getClassLoader().getResourceAsStream(classpathName)) {
            if (in == null) {
                throw new IllegalStateException("Missing on the classpath: " + classpathName);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
