package jp.clinsgateway.keycloak;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PatientSignInTest {

    @Test
    void thePkceChallengeIsTheS256OfTheVerifier() {
        // RFC 7636, appendix B
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", PatientSignIn.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    @Test
    void theLoginFormsActionIsFoundWhateverTheAttributeOrder() {
        String page = "<html><form class=\"x\" action=\"http://127.0.0.1:8180/realms/clins/login-actions/authenticate?session_code=a&amp;tab_id=b\" "
                + "id=\"kc-form-login\" method=\"post\"></form>";
        assertEquals("http://127.0.0.1:8180/realms/clins/login-actions/authenticate?session_code=a&tab_id=b", PatientSignIn.loginFormAction(page));
    }
}
