package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportIdentifierTest {

    @Test
    void aReportIsNamedByItsBundleIdentifierAndStartsWithItsInstitution() {
        Bundle bundle = new Bundle();
        bundle.getIdentifier().setSystem(JpIdentifiers.BUNDLE_IDENTIFIER).setValue("1311234567^2026^B1001");
        ReportIdentifier report = ReportIdentifier.of(bundle).orElseThrow();
        assertEquals("1311234567^2026^B1001", report.value());
        assertEquals("1311234567", report.institutionCode());
    }

    @Test
    void anIdentifierInAnotherSystemNamesNoReport() {
        Bundle bundle = new Bundle();
        bundle.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue("1311234567^2026^B1001");
        assertTrue(ReportIdentifier.of(bundle).isEmpty());
        assertTrue(ReportIdentifier.of(new Bundle()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1311234567", "1311234567^", "131123456^2026^B1", "1341234567^2026^B1", "A311234567^2026^B1"})
    void refusesWhatDoesNotStartWithAnInstitutionCode(String value) {
        assertTrue(ReportIdentifier.parse(value).isEmpty(), value);
    }
}
