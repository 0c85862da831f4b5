package jp.clinsgateway.server.names;

import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names never turn into ●: every character is kept, and variants find each other. Runs on each database. */
abstract class NameRoundTripContract extends GatewayTest {

    /** Family and given names that national systems have shown as ●. */
    @ParameterizedTest(name = "{0} {1} is returned byte for byte in JSON and XML")
    @CsvSource({
            "𠮷田, 太郎",            // U+20BB7, outside the BMP
            "髙橋, 花子",            // U+9AD9 variant of 高
            "山﨑, 葛\uDB40\uDD00子", // U+FA11 and an IVS sequence (葛 + U+E0100)
            "齋藤, 𩸽",              // U+29E3D
            "渡邊, 剛",
            "ｻｲﾄｳ, ﾀﾛｳ",            // half-width kana are kept as sent
    })
    void everyCharacterOfANameSurvivesTheRoundTrip(String family, String given) {
        TestPatient patient = TestPatient.named(family, given);
        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(patient).build());
        String patientId = versionless(located(receipt, "Patient"));

        for (String accept : new String[]{"application/fhir+json", "application/fhir+xml"}) {
            FhirHttp.Response read = fhir.asPatient(patientId).get(patientId, accept);
            assertEquals(200, read.status(), read::toString);
            Patient stored = read.resource(Patient.class);
            assertEquals(codePoints(patient.family()), codePoints(stored.getNameFirstRep().getFamily()), accept);
            assertEquals(codePoints(patient.given()), codePoints(stored.getNameFirstRep().getGivenAsSingleString()), accept);
            assertEquals(codePoints(patient.fullName()), codePoints(stored.getNameFirstRep().getText()), accept);
            assertTrue(contains(read.bytes(), patient.fullName().getBytes(StandardCharsets.UTF_8)),
                    accept + ": the UTF-8 bytes of the name appear unescaped in the response");
        }
    }

    @ParameterizedTest(name = "searching {0} finds {1}")
    @CsvSource({
            "name=高橋, 髙橋",
            "family=山崎, 山﨑",
            "name=吉田, 𠮷田",
            "name=斉藤, 齋藤",
            "family=斎藤, 齊藤",
            "name=渡辺, 渡邉",
    })
    void aNameSearchFindsTheVariantsOfTheName(String query, String storedFamily) {
        TestPatient patient = TestPatient.named(storedFamily, "検索");
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(patient).build());
        String[] parts = query.split("=", 2);
        assertEquals(1, total("Patient?" + parts[0] + "=" + encode(parts[1]) + "&" + byMemberId(patient)), query);
        assertEquals(1, total("Patient?name=" + encode(parts[1] + "検索") + "&" + byMemberId(patient)), "full name");
        assertEquals(1, total("Patient?given=" + encode("検索") + "&" + byMemberId(patient)), "given");
    }

    @Test
    void anIvsNameIsFoundWithoutItsVariationSelector() {
        TestPatient patient = TestPatient.named("辻\uDB40\uDD00", "一郎");
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(patient).build());
        assertEquals(1, total("Patient?family=" + encode("辻") + "&" + byMemberId(patient)));
        assertEquals(0, total("Patient?family:exact=" + encode("辻") + "&" + byMemberId(patient)), ":exact stays exact");
    }

    @Test
    void aPrivateUseCharacterIsKeptAndReportedAsAWarning() {
        TestPatient patient = TestPatient.named("山\uE0A1", "花子");
        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(patient).build());

        OperationOutcome warnings = (OperationOutcome) receipt.getEntryFirstRep().getResponse().getOutcome();
        assertTrue(warnings != null && warnings.getIssue().stream().anyMatch(i ->
                i.getSeverity() == OperationOutcome.IssueSeverity.WARNING
                        && i.getDiagnostics().contains("U+E0A1")
                        && i.getExpression().stream().anyMatch(e -> e.getValue().equals("Bundle.entry[0].resource.name[0].family"))),
                "warning naming the character and the element");
        String patientId = versionless(located(receipt, "Patient"));
        Patient stored = fhir.asPatient(patientId).get(patientId).resource(Patient.class);
        assertEquals(codePoints("山\uE0A1"), codePoints(stored.getNameFirstRep().getFamily()));
    }

    private static String codePoints(String text) {
        return text.codePoints().mapToObj(cp -> String.format("U+%04X", cp)).reduce((a, b) -> a + " " + b).orElse("");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return HexFormat.of().formatHex(haystack).contains(HexFormat.of().formatHex(needle));
    }
}
