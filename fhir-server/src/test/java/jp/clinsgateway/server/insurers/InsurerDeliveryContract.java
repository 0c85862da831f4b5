package jp.clinsgateway.server.insurers;

import jp.clinsgateway.consent.SpecifiedCheckupItems;
import jp.clinsgateway.server.support.DocumentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an insurer receives of its members' checkup reports, over HTTP: Tokyo Central submits
 * insurer-run, employer-run and comprehensive checkups; the members' insurers read them one by one
 * and all at once. Runs on each database.
 */
abstract class InsurerDeliveryContract extends GatewayTest {

    private static final String DOCTORS_OPINION = "9N521000000000049"; // 医師の意見: an employer's item, not a 特定健診 item
    private static final String WORK_HISTORY = "9N051000000000049";    // 業務歴
    private static final String HBA1C = "3D046000001906202";



    /** A checkup report of this programme (010 insurer-run, 030 employer-run, 990 人間ドック), with 業務歴 among its results. */
    private static Bundle checkup(TestPatient patient, String programme, Boolean agreedOnQuestionnaire) {
        Bundle report = DocumentBuilder.checkupReport().forPatient(patient).ranBy(programme)
                .agreedOnQuestionnaire(agreedOnQuestionnaire).build();
        Bundle.BundleEntryComponent opinion = report.getEntry().stream()
                .filter(e -> e.getResource() instanceof Observation o && DOCTORS_OPINION.equals(o.getCode().getCodingFirstRep().getCode()))
                .findFirst().orElseThrow();
        Observation workHistory = (Observation) opinion.getResource().copy();
        workHistory.getCode().getCodingFirstRep().setCode(WORK_HISTORY).setDisplay("業務歴");
        String fullUrl = "urn:uuid:" + java.util.UUID.randomUUID();
        workHistory.setId(fullUrl);
        report.addEntry().setFullUrl(fullUrl).setResource(workHistory);
        ((Composition) report.getEntryFirstRep().getResource()).getSection().stream().filter(s -> s.getEntry().stream().anyMatch(r -> opinion.getFullUrl().equals(r.getReference())))
                .findFirst().orElseThrow().addEntry(new Reference(fullUrl));
        return report;
    }

    private String submit(Bundle report) {
        Bundle receipt = accepted(TOKYO_CENTRAL, report);
        return versionless(located(receipt, "Bundle"));
    }

    private static Set<String> resultCodes(Bundle report) {
        return report.getEntry().stream().filter(e -> e.getResource() instanceof Observation)
                .map(e -> ((Observation) e.getResource()).getCode().getCodingFirstRep().getCode()).collect(Collectors.toSet());
    }

    private static Bundle read(FhirHttp reader, String document) {
        FhirHttp.Response response = reader.get(document);
        assertEquals(200, response.status(), response::toString);
        return response.resource(Bundle.class);
    }

    @Test
    void anInsurerSeesOnlyTheSpecifiedCheckupItemsOfAnEmployerCheckup() {
        String insurer = TestPatient.anInsurer();
        TestPatient member = TestPatient.memberOf(insurer);
        String document = submit(checkup(member, "030", null));
        FhirHttp asInsurer = fhir.asInsurer(insurer);

        Bundle shown = read(asInsurer, document);
        Set<String> codes = resultCodes(shown);
        assertTrue(codes.contains(HBA1C), "a 特定健診 item: " + codes);
        assertFalse(codes.contains(DOCTORS_OPINION), "医師の意見 is the employer's, not a 特定健診 item");
        assertFalse(codes.contains(WORK_HISTORY), "業務歴 neither");
        assertTrue(codes.stream().allMatch(c -> SpecifiedCheckupItems.contains(SpecifiedCheckupItems.SYSTEM, c)), codes::toString);
        assertTrue(shown.getMeta().getTag().stream().anyMatch(t -> t.getSystem().endsWith("/derived-view")
                && "specified-items".equals(t.getCode())), "said to be a derived view");
        assertFalse(shown.hasSignature());
        Composition composition = (Composition) shown.getEntryFirstRep().getResource();
        Set<String> entries = shown.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl).collect(Collectors.toSet());
        for (Composition.SectionComponent section : composition.getSection()) {
            assertFalse(section.hasText(), "no narrative that could mention a hidden result");
            section.getEntry().forEach(r -> assertTrue(entries.contains(r.getReference()), "a section names no hidden result"));
        }
        assertFalse(FhirHttp.FHIR.newJsonParser().encodeResourceToString(shown).contains(DOCTORS_OPINION));
        assertFalse(resultCodes(read(asInsurer, document + "/_history/1")).contains(DOCTORS_OPINION), "vread gives the same view");
        // Every other way to the same record gives the insurer nothing of the withheld items.
        String id = document.substring(document.lastIndexOf('/') + 1);
        for (String other : new String[]{document + "/_history", "Bundle/_history", "Bundle?_id=" + id, "Bundle?_id=" + id + "&_summary=false",
                "DocumentReference?patient=" + patientOf(read(fhir.asInstitution(TOKYO_CENTRAL), document)) + "&_include=*",
                "DocumentReference?category=checkup-report&_revinclude=*"}) {
            FhirHttp.Response answer = asInsurer.get(other);
            assertFalse(answer.body().contains(DOCTORS_OPINION) || answer.body().contains(WORK_HISTORY),
                    () -> other + " gives the insurer a withheld item: HTTP " + answer.status());
        }

        Bundle whole = read(fhir.asInstitution(TOKYO_CENTRAL), document);
        assertTrue(resultCodes(whole).containsAll(Set.of(DOCTORS_OPINION, WORK_HISTORY)), "the author still reads it as submitted");
        Bundle index = searchAs(asInsurer, "DocumentReference?patient=" + patientOf(whole));
        assertEquals(1, index.getTotal(), "found through its index");
    }

    @Test
    void anInsurerSeesNothingOfAComprehensiveCheckupWithoutTheQuestionnaireAgreement() {
        String insurer = TestPatient.anInsurer();
        TestPatient member = TestPatient.memberOf(insurer);
        String withoutAgreement = submit(checkup(member, "990", null));
        String refused = submit(checkup(member, "990", false));
        FhirHttp asInsurer = fhir.asInsurer(insurer);
        assertEquals(404, asInsurer.get(withoutAgreement).status());
        assertEquals(404, asInsurer.get(refused).status());
        String patient = patientOf(read(fhir.asInstitution(TOKYO_CENTRAL), withoutAgreement));
        assertEquals(0, searchAs(asInsurer, "DocumentReference?patient=" + patient).getTotal());

        String agreed = submit(checkup(member, "990", true));
        Set<String> codes = resultCodes(read(asInsurer, agreed));
        assertTrue(codes.contains(HBA1C));
        assertFalse(codes.contains(DOCTORS_OPINION), "with the agreement still only the 特定健診 items");
        assertEquals(1, searchAs(asInsurer, "DocumentReference?patient=" + patient).getTotal());
    }

    @Test
    void anInsurerRunCheckupReachesItsInsurerWhole() {
        String insurer = TestPatient.anInsurer();
        String document = submit(checkup(TestPatient.memberOf(insurer), "010", null));
        Bundle shown = read(fhir.asInsurer(insurer), document);
        assertTrue(resultCodes(shown).containsAll(Set.of(DOCTORS_OPINION, WORK_HISTORY, HBA1C)));
        assertTrue(shown.getMeta().getTag().stream().noneMatch(t -> t.getSystem().endsWith("/derived-view")));
        assertEquals(404, fhir.asInsurer(TestPatient.anInsurer()).get(document).status(), "another insurer: as if absent");
    }

    @Test
    void theInsurersSinceQueryReturnsAllItsMembersNewReportsAndNoOneElsesPageByPage() throws InterruptedException {
        String insurer = TestPatient.anInsurer();
        String other = TestPatient.anInsurer();
        Instant before = Instant.now().minusSeconds(1);
        List<String> expected = new ArrayList<>();
        for (String programme : List.of("010", "030", "010", "030", "010")) {
            submit(checkup(TestPatient.memberOf(insurer), programme, null));
        }
        submit(checkup(TestPatient.memberOf(insurer), "990", null));            // a member's 人間ドック without agreement: not delivered
        submit(checkup(TestPatient.memberOf(other), "010", null));               // another insurer's member
        submit(checkup(TestPatient.aPatient(), "010", null));        // not a member of either

        String since = "DocumentReference?category=checkup-report&_lastUpdated=gt" + before + "&_count=2";
        List<Bundle> pages = pages(fhir.asInsurer(insurer), since);
        List<DocumentReference> found = pages.stream().flatMap(p -> p.getEntry().stream())
                .map(e -> (DocumentReference) e.getResource()).toList();
        assertEquals(5, found.size(), "the five delivered reports of its members");
        assertEquals(5, new HashSet<>(found.stream().map(d -> d.getIdElement().getIdPart()).toList()).size(), "each once");
        assertEquals(3, pages.size(), "paged: 2 + 2 + 1");
        for (DocumentReference index : found) {
            String patient = index.getSubject().getReference();
            Bundle report = read(fhir.asInsurer(insurer), index.getContentFirstRep().getAttachment().getUrl());
            assertEquals(patient, patientOf(report));
        }
        assertEquals(1, pages(fhir.asInsurer(other), since).stream().mapToInt(p -> p.getEntry().size()).sum(), "the other insurer: its one");

        Bundle first = searchAs(fhir.asInsurer(insurer), since);
        String next = first.getLink("next").getUrl();
        String relative = next.substring(next.indexOf("/fhir") + "/fhir".length());
        relative = relative.startsWith("/") ? relative.substring(1) : relative;
        assertEquals(404, fhir.asInsurer(other).get(relative).status(), "a page belongs to the insurer whose search made it");
        assertEquals(200, fhir.asInsurer(insurer).get(relative).status());
        assertEquals(400, fhir.asInstitution(TOKYO_CENTRAL).get(since).status(), "institutions still name one patient");
        assertEquals(400, fhir.asInsurer(insurer).get("Observation?_lastUpdated=gt" + before).status(), "only the document index, across members");
    }

    private List<Bundle> pages(FhirHttp reader, String query) {
        List<Bundle> pages = new ArrayList<>();
        Bundle page = searchAs(reader, query);
        while (true) {
            pages.add(page);
            if (page.getLink("next") == null) {
                return pages;
            }
            String next = page.getLink("next").getUrl();
            String relative = next.substring(next.indexOf("/fhir") + "/fhir".length());
            page = searchAs(reader, relative.startsWith("/") ? relative.substring(1) : relative);
        }
    }

    /** The gateway Patient of a report read by its author (the stored Bundle's subject tag). */
    private static String patientOf(Bundle report) {
        return report.getMeta().getTag().stream().filter(t -> t.getSystem().endsWith("/record-subject")).map(Coding::getCode)
                .findFirst().orElseThrow();
    }
}
