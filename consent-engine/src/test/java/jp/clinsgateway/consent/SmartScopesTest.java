package jp.clinsgateway.consent;

import jp.clinsgateway.consent.SmartScopes.Letter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmartScopesTest {

    @Test
    void v2WildcardReadAndSearchGrantsNoWrites() {
        SmartScopes scopes = SmartScopes.parse("openid launch/patient patient/*.rs");
        assertEquals(List.of(Map.of()), scopes.allowing("Condition", Letter.READ));
        assertEquals(List.of(Map.of()), scopes.allowing("Observation", Letter.SEARCH));
        assertTrue(scopes.allowing("Consent", Letter.CREATE).isEmpty());
    }

    @Test
    void v1ReadAndWriteAreTheirV2Equivalents() {
        SmartScopes scopes = SmartScopes.parse("patient/*.read system/Consent.write");
        assertFalse(scopes.allowing("AuditEvent", Letter.SEARCH).isEmpty());
        assertFalse(scopes.allowing("Consent", Letter.UPDATE).isEmpty());
        assertTrue(scopes.allowing("Bundle", Letter.CREATE).isEmpty());
        assertFalse(SmartScopes.parse("user/*.*").allowing("Bundle", Letter.DELETE).isEmpty());
    }

    @Test
    void aQueryConstrainsTheGrant() {
        SmartScopes scopes = SmartScopes.parse("patient/Observation.rs?category=laboratory");
        assertEquals(List.of(Map.of("category", "laboratory")), scopes.allowing("Observation", Letter.SEARCH));
        assertTrue(scopes.allowing("Condition", Letter.SEARCH).isEmpty());
    }

    @Test
    void malformedAndNonResourceScopesGrantNothing() {
        SmartScopes scopes = SmartScopes.parse("purpose/ETREAT patient/Observation.sr system/Bundle. openid fhirUser x/y.rs");
        assertTrue(scopes.grants().isEmpty(), scopes.grants()::toString);
        assertTrue(SmartScopes.parse(null).grants().isEmpty());
        assertFalse(SmartScopes.parse("system/Bundle.c").permitsAny(Letter.SEARCH));
    }
}
