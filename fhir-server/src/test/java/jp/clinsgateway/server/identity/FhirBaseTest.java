package jp.clinsgateway.server.identity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FhirBaseTest {

    private final FhirBase base = new FhirBase("https://gateway.example.jp/fhir");

    @Test
    void theSameBaseIsNamedHoweverItIsWritten() {
        for (String same : new String[]{"https://gateway.example.jp/fhir", "https://gateway.example.jp/fhir/",
                "HTTPS://Gateway.Example.JP/fhir", "https://gateway.example.jp:443/fhir", " https://gateway.example.jp/fhir "}) {
            assertTrue(base.isNamedBy(same), same);
        }
    }

    @Test
    void anotherServerOrAnythingBesideTheBaseIsNot() {
        for (String other : new String[]{"https://attacker.example.org/fhir", "http://gateway.example.jp/fhir",
                "https://gateway.example.jp:8443/fhir", "https://gateway.example.jp", "https://gateway.example.jp/fhir/Patient",
                "https://gateway.example.jp/FHIR", "https://gateway.example.jp/fhir?x=1", "https://gateway.example.jp/fhir#x",
                "https://user@gateway.example.jp/fhir", "https://gateway.example.jp.attacker.example.org/fhir", "/fhir", "", "not a url"}) {
            assertFalse(base.isNamedBy(other), other);
        }
        assertFalse(base.isNamedBy(null));
    }
}
