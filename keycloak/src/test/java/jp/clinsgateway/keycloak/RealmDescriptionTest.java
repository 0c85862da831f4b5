package jp.clinsgateway.keycloak;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealmDescriptionTest {

    @Test
    void theDemoRealmHoldsTheDemoInstitutionsInsurersAndPatientsWithTheirNamesExact() {
        RealmDescription demo = RealmDescription.demo();
        assertEquals("clins", demo.realm());
        assertEquals(3, demo.institutions().size());
        assertEquals(2, demo.insurers().size());
        assertEquals("𠮷田", demo.patients().get(0).family(), "a non-BMP character kept");
        assertEquals("葛\uDB40\uDD00子", demo.patients().get(2).given(), "an ideographic variation sequence kept");
        assertTrue(demo.scopes().patient().contains("patient/Observation.rs?category=laboratory"));
        assertTrue(demo.scopes().institution().contains("purpose/ETREAT"));
        assertTrue(demo.scopes().all().stream().distinct().count() == demo.scopes().all().size());
    }

    @Test
    void aDescriptionWithMistakesIsRefusedNamingEachPlace() {
        String json = """
                {"realm": "clins", "portal": {"clientId": "portal", "redirectPaths": ["/portal/*"]},
                 "scopes": {"patient": [], "institution": [], "insurer": [], "operator": []},
                 "institutions": [{"code": "131123456", "clientId": "emr", "secret": "s"},
                                  {"code": "1311234567", "clientId": "emr", "secret": ""}],
                 "insurers": [{"number": "0613999", "clientId": "ins", "secret": "s"}],
                 "patients": [{"username": "p", "memberId": "06139991:A:1"}]}
                """;
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RealmDescription.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        for (String place : new String[]{"institutions[0].code", "institutions[1].secret", "insurers[0].number",
                "patients[0].memberId", "clientId: 'emr' is declared twice", "gatewaySecret: required"}) {
            assertTrue(refused.getMessage().contains(place), () -> place + " in " + refused.getMessage());
        }
    }

    @Test
    void theGatewaysOwnClientIsTheAudienceWithASecretAndTokensLiveAnHourAtMost() {
        RealmDescription demo = RealmDescription.demo();
        assertEquals("clins-gateway", demo.audience());
        assertTrue(demo.tokenLifespanSeconds() <= 300, "short-lived: a revoked session's tokens last until they expire");
        String json = """
                {"realm": "clins", "audience": "patient-portal", "tokenLifespanSeconds": 86400, "gatewaySecret": "s",
                 "portal": {"clientId": "patient-portal", "redirectPaths": ["/portal/*"]},
                 "scopes": {"patient": [], "institution": [], "insurer": [], "operator": []}}
                """;
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RealmDescription.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        assertTrue(refused.getMessage().contains("tokenLifespanSeconds: at most 3600"), refused::getMessage);
        assertTrue(refused.getMessage().contains("clientId: 'patient-portal' is declared twice"), "the gateway's client is a client too");
    }

    @Test
    void anUnknownFieldIsAMistakeNotSilence() {
        String json = "{\"realm\": \"clins\", \"institution\": []}";
        assertThrows(Exception.class, () -> RealmDescription.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aSecretFromTheEnvironmentMustBeThere() {
        assertEquals("plain", RealmDescription.secret("plain"));
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> RealmDescription.secret("env:CLINS_GATEWAY_SECRET_THAT_IS_NOT_SET"));
        assertTrue(missing.getMessage().contains("CLINS_GATEWAY_SECRET_THAT_IS_NOT_SET"));
    }
}
