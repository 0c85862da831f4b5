package jp.clinsgateway.server.consent;

import jp.clinsgateway.consent.AccessRequest;
import jp.clinsgateway.consent.ConsentEngine;
import jp.clinsgateway.consent.ItemFlag;
import jp.clinsgateway.consent.PatientConsent;
import jp.clinsgateway.consent.CheckupDelivery;
import jp.clinsgateway.consent.CheckupKind;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.RecordFacts;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.DocumentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayOnH2;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static jp.clinsgateway.server.support.Institutions.YOKOHAMA;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Generated: consent states × readers × purposes × resource types, over one patient's records of
 * every category and flag from two institutions. For each case the server's search answer (ids and
 * total) must be exactly what the consent engine decides record by record.
 */
@GatewayOnH2
class ServerAgreesWithTheEngineTest extends GatewayTest {

    private static final List<String> TYPES = List.of("Condition", "AllergyIntolerance", "Observation", "MedicationRequest", "DocumentReference");
    private final ConsentEngine engine = new ConsentEngine(true);

    /** One reader: how it reaches the gateway and who it is for the engine. */
    private record Reader(String name, Supplier<FhirHttp> http, Requester requester, Purpose purpose, Optional<String> insurer) {
    }

    @TestFactory
    Stream<DynamicTest> everyReaderSeesExactlyWhatTheEngineDecides() {
        TestPatient person = TestPatient.aPatient();
        Map<String, Map<String, RecordFacts>> records = new HashMap<>(); // type -> id -> facts
        String patient = submitEverything(person, records);
        String insurer = person.memberId().split(":")[0];
        for (String institution : List.of(TOKYO_CENTRAL, OSAKA_CLINIC, YOKOHAMA)) {
            // an emergency read needs a window opened with a stated reason (break-glass); the engine decides the rest
            breakGlass(fhir.asInstitution(institution, "ETREAT").withRoles("emergency-access"), patient);
        }

        List<Reader> readers = new ArrayList<>();
        for (String institution : List.of(TOKYO_CENTRAL, OSAKA_CLINIC, YOKOHAMA)) {
            for (Purpose purpose : List.of(Purpose.TREATMENT, Purpose.EMERGENCY)) {
                readers.add(new Reader(institution + "/" + purpose.code(), () -> purpose == Purpose.EMERGENCY
                        ? fhir.asInstitution(institution, purpose.code()).withRoles("emergency-access")
                        : fhir.asInstitution(institution, purpose.code()),
                        new Requester.Institution(institution), purpose, Optional.empty()));
            }
        }
        readers.add(new Reader("patient", () -> fhir.asPatient(patient), new Requester.PatientSelf(patient), Purpose.PATIENT_REQUEST, Optional.empty()));
        readers.add(new Reader("own insurer", () -> fhir.asInsurer(insurer), new Requester.Insurer(insurer), Purpose.HEALTH_PROMOTION, Optional.of(insurer)));
        readers.add(new Reader("other insurer", () -> fhir.asInsurer("01130012"), new Requester.Insurer("01130012"), Purpose.HEALTH_PROMOTION, Optional.of(insurer)));

        Map<String, List<ConsentBuilder>> states = new java.util.LinkedHashMap<>();
        states.put("no consent", List.of());
        states.put("comprehensive for Osaka", List.of(ConsentBuilder.permit().to(OSAKA_CLINIC).forOneDay()));
        states.put("Osaka: labs and referral letters", List.of(ConsentBuilder.permit().to(OSAKA_CLINIC).only("lab-result", "referral-letter")));
        states.put("Osaka all but diagnoses", List.of(ConsentBuilder.permit().to(OSAKA_CLINIC), ConsentBuilder.refusal().to(OSAKA_CLINIC).only("diagnosis")));
        states.put("everyone permitted, Yokohama refused", List.of(ConsentBuilder.permit(), ConsentBuilder.refusal().to(YOKOHAMA)));
        states.put("no emergency access", List.of(ConsentBuilder.refusal().forPurpose("ETREAT"), ConsentBuilder.permit().to(YOKOHAMA).only("allergy", "contraindication")));
        states.put("refuse everyone", List.of(ConsentBuilder.refusal(), ConsentBuilder.permit().to(OSAKA_CLINIC)));

        List<DynamicTest> cases = new ArrayList<>();
        List<String> active = new ArrayList<>();
        for (Map.Entry<String, List<ConsentBuilder>> state : states.entrySet()) {
            // Each state is set up when its first case runs: cases run in order.
            List<PatientConsent> facts = new ArrayList<>();
            cases.add(DynamicTest.dynamicTest(state.getKey() + ": set up", () -> {
                for (String id : active) {
                    Consent old = fhir.asPatient(patient).get(id).resource(Consent.class);
                    old.setStatus(Consent.ConsentState.INACTIVE);
                    assertEquals(200, fhir.asPatient(patient).update(old).status());
                }
                active.clear();
                for (ConsentBuilder builder : state.getValue()) {
                    FhirHttp.Response created = fhir.asPatient(patient).create(builder.forPatient(patient).build());
                    assertEquals(201, created.status(), created::toString);
                    Consent consent = created.resource(Consent.class);
                    active.add("Consent/" + consent.getIdElement().getIdPart());
                    facts.add(ConsentFacts.of(consent));
                }
            }));
            for (Reader reader : readers) {
                for (String type : TYPES) {
                    cases.add(DynamicTest.dynamicTest(state.getKey() + " | " + reader.name() + " | " + type, () -> {
                        AccessRequest request = new AccessRequest(reader.requester(), reader.purpose(), patient, reader.insurer());
                        Instant now = Instant.now();
                        Set<String> expected = records.get(type).entrySet().stream()
                                .filter(r -> engine.decide(request, r.getValue(), facts, now).permits())
                                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
                        FhirHttp.Response response = reader.http().get().get(type + "?patient=" + patient + "&_count=100");
                        assertEquals(200, response.status(), response::toString);
                        Bundle found = response.resource(Bundle.class);
                        Set<String> actual = found.getEntry().stream()
                                .map(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
                                .collect(Collectors.toCollection(TreeSet::new));
                        assertEquals(expected, actual);
                        assertEquals(expected.size(), found.getTotal(), "total");
                    }));
                }
            }
        }
        return cases.stream();
    }

    private String submitEverything(TestPatient person, Map<String, Map<String, RecordFacts>> records) {
        TYPES.forEach(t -> records.put(t, new HashMap<>()));
        String[] patient = new String[1];
        record Submission(String institution, Bundle bundle, ShareCategory category, Set<ItemFlag> flags, Optional<String> addressed) {
        }
        List<Submission> submissions = List.of(
                new Submission(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).withItems("G1", "G2").build(), ShareCategory.DIAGNOSIS, Set.of(), Optional.empty()),
                new Submission(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).withItems("G3").flagged("UNINFORMED").build(), ShareCategory.DIAGNOSIS, Set.of(ItemFlag.UNINFORMED), Optional.empty()),
                new Submission(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).withItems("G4").flagged("UNDELIVERED").build(), ShareCategory.DIAGNOSIS, Set.of(ItemFlag.UNDELIVERED), Optional.empty()),
                new Submission(OSAKA_CLINIC, ClinsBundleBuilder.diagnoses().from(OSAKA_CLINIC).forPatient(person).withItems("G5").build(), ShareCategory.DIAGNOSIS, Set.of(), Optional.empty()),
                new Submission(TOKYO_CENTRAL, ClinsBundleBuilder.allergies().forPatient(person).withItems("G6").build(), categoryOfAllergyExample(), Set.of(), Optional.empty()),
                new Submission(TOKYO_CENTRAL, ClinsBundleBuilder.labResults().forPatient(person).withItems("G7", "G8").build(), ShareCategory.LAB_RESULT, Set.of(), Optional.empty()),
                new Submission(OSAKA_CLINIC, ClinsBundleBuilder.infectionTests().from(OSAKA_CLINIC).forPatient(person).withItems("G9").build(), ShareCategory.INFECTION, Set.of(), Optional.empty()),
                new Submission(TOKYO_CENTRAL, ClinsBundleBuilder.prescriptions().forPatient(person).withItems("G10").build(), ShareCategory.PRESCRIPTION, Set.of(), Optional.empty()),
                new Submission(TOKYO_CENTRAL, DocumentBuilder.referralLetter().to(OSAKA_CLINIC).forPatient(person).build(), ShareCategory.REFERRAL_LETTER, Set.of(), Optional.of(OSAKA_CLINIC)),
                new Submission(TOKYO_CENTRAL, DocumentBuilder.referralLetter().to(YOKOHAMA).forPatient(person).build(), ShareCategory.REFERRAL_LETTER, Set.of(), Optional.of(YOKOHAMA)),
                new Submission(TOKYO_CENTRAL, DocumentBuilder.dischargeSummary().forPatient(person).build(), ShareCategory.DISCHARGE_SUMMARY, Set.of(), Optional.empty()),
                new Submission(TOKYO_CENTRAL, DocumentBuilder.checkupReport().forPatient(person).build(), ShareCategory.CHECKUP_REPORT, Set.of(), Optional.empty()));
        for (Submission submission : submissions) {
            Bundle receipt = accepted(submission.institution(), submission.bundle());
            patient[0] = versionless(located(receipt, "Patient"));
            RecordFacts submitted = new RecordFacts(submission.category(), submission.institution(), submission.flags(), submission.addressed());
            // the checkup example is an insurer-run 特定健診 (programme 010) under the patient's member ID
            RecordFacts facts = submission.category() == ShareCategory.CHECKUP_REPORT
                    ? submitted.withCheckup(new CheckupDelivery(person.memberId().split(":")[0], CheckupKind.INSURER_RUN, false)) : submitted;
            receipt.getEntry().stream().map(e -> versionless(e.getResponse().getLocation()))
                    .filter(l -> records.containsKey(l.substring(0, l.indexOf('/'))))
                    .forEach(l -> records.get(l.substring(0, l.indexOf('/'))).put(l, facts));
        }
        return patient[0];
    }

    private static ShareCategory categoryOfAllergyExample() {
        // The allergy example the builder starts from is a drug allergy (a contraindication) or not.
        org.hl7.fhir.r4.model.AllergyIntolerance item = (org.hl7.fhir.r4.model.AllergyIntolerance)
                ClinsBundleBuilder.allergies().withItems("x").build().getEntry().get(1).getResource();
        return item.getCategory().stream().anyMatch(c -> c.getValue() == org.hl7.fhir.r4.model.AllergyIntolerance.AllergyIntoleranceCategory.MEDICATION)
                ? ShareCategory.CONTRAINDICATION : ShareCategory.ALLERGY;
    }
}
