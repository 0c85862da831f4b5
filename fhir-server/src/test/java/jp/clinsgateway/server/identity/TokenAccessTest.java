package jp.clinsgateway.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.clinsgateway.keycloak.TokenClient;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.GatewayWithKeycloak;
import jp.clinsgateway.server.support.TestKeycloak;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static jp.clinsgateway.server.support.Institutions.YOKOHAMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway behind a real Keycloak, as EMR vendors, patients, insurers and the operator meet it:
 * each identity reaches what its identity and scopes allow, every kind of bad token is refused,
 * and SMART App Launch clients find what they need. The demo realm and demo data throughout.
 */
@GatewayWithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenAccessTest extends GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PORTAL_SCOPES = "openid fhirUser launch/patient patient/*.rs patient/Consent.cu";

    private Map<String, String> patients;

    @BeforeAll
    void provisionTheRealmAndLinkThePatients() {
        patients = TestKeycloak.provisionFor(port());
        assertEquals(3, patients.size(), () -> "every demo patient has records, so every account is linked: " + patients);
    }

    private String patient(String username) {
        return "Patient/" + patients.get(username);
    }

    private FhirHttp as(String token) {
        return fhir.withToken(token);
    }

    private String patientToken(String username, String scope) {
        return TestKeycloak.patientSignIn(port(), username, scope).get("access_token").asText();
    }

    private static int total(FhirHttp reader, String query) {
        FhirHttp.Response response = reader.get(query);
        assertEquals(200, response.status(), response::toString);
        return response.resource(Bundle.class).getTotal();
    }

    @Test
    void smartClientsDiscoverTheAuthorizationServerAndItsCapabilities() throws Exception {
        JsonNode smart = JSON.readTree(fhir.get(".well-known/smart-configuration", "application/json").body());
        assertEquals(TestKeycloak.issuer(), smart.get("issuer").asText());
        for (String required : List.of("jwks_uri", "authorization_endpoint", "token_endpoint", "grant_types_supported",
                "capabilities", "code_challenge_methods_supported", "scopes_supported", "response_types_supported")) {
            assertTrue(smart.hasNonNull(required), required);
        }
        assertEquals(List.of("S256"), strings(smart.get("code_challenge_methods_supported")), "S256 only, never plain");
        assertTrue(strings(smart.get("capabilities")).containsAll(List.of("launch-standalone", "client-public",
                "client-confidential-symmetric", "context-standalone-patient", "permission-v2", "permission-v1", "permission-patient",
                "sso-openid-connect")), smart.get("capabilities")::toString);
        assertTrue(strings(smart.get("grant_types_supported")).containsAll(List.of("authorization_code", "client_credentials")));
        assertTrue(strings(smart.get("scopes_supported")).containsAll(List.of("launch/patient", "patient/*.rs", "system/*.rs",
                "system/Bundle.c", "patient/Observation.rs?category=laboratory", "purpose/ETREAT")));
        HttpResponse<String> keys = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(smart.get("jwks_uri").asText())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(JSON.readTree(keys.body()).get("keys").size() > 0, "the published keys are there");

        CapabilityStatement metadata = fhir.get("metadata").resource(CapabilityStatement.class);
        CapabilityStatement.CapabilityStatementRestSecurityComponent security = metadata.getRestFirstRep().getSecurity();
        assertEquals("SMART-on-FHIR", security.getServiceFirstRep().getCodingFirstRep().getCode());
        Extension uris = security.getExtensionByUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        assertEquals(smart.get("authorization_endpoint").asText(), uris.getExtensionByUrl("authorize").getValue().primitiveValue());
        assertEquals(smart.get("token_endpoint").asText(), uris.getExtensionByUrl("token").getValue().primitiveValue());
    }

    @Test
    void institutionsSubmitAndReadWithTheirOwnTokensAndAnotherReadsOnlyUnderConsent() {
        TestPatient person = TestPatient.aPatient();
        FhirHttp tokyo = as(TestKeycloak.institution(TOKYO_CENTRAL, "system/*.rs system/Bundle.c"));
        FhirHttp.Response submitted = tokyo.post("$submit", null, FhirHttp.FHIR.newJsonParser().encodeResourceToString(
                ClinsBundleBuilder.diagnoses().from(TOKYO_CENTRAL).forPatient(person).withItems("T1", "T2").build()), "application/fhir+json");
        assertEquals(200, submitted.status(), submitted::toString);
        String patient = versionless(located(submitted.resource(Bundle.class), "Patient"));
        assertEquals(2, total(tokyo, "Condition?patient=" + patient), "the author reads its own");

        FhirHttp osaka = as(TestKeycloak.institution(OSAKA_CLINIC, "system/*.rs system/Consent.cu"));
        assertEquals(0, total(osaka, "Condition?patient=" + patient), "no consent yet");
        // Takahashi (a portal account) consents at Osaka's reception, proving it with the code from her portal.
        String takahashi = patient("takahashi");
        int tokyosDiagnoses = total(tokyo, "Condition?patient=" + takahashi);
        assertEquals(0, total(osaka, "Condition?patient=" + takahashi), "no consent yet");
        FhirHttp.Response forged = osaka.create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(takahashi).forOneDay().build());
        assertEquals(403, forged.status(), "without the patient's code: " + forged);
        FhirHttp portal = as(patientToken("takahashi", PORTAL_SCOPES));
        org.hl7.fhir.r4.model.Parameters ask = new org.hl7.fhir.r4.model.Parameters();
        ask.addParameter().setName("institution").setValue(new org.hl7.fhir.r4.model.StringType(OSAKA_CLINIC));
        FhirHttp.Response code = portal.post("$consent-code", null, FhirHttp.FHIR.newJsonParser().encodeResourceToString(ask), "application/fhir+json");
        assertEquals(200, code.status(), code::toString);
        FhirHttp.Response consent = osaka.create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(takahashi).forOneDay()
                .withCode(code.resource(org.hl7.fhir.r4.model.Parameters.class).getParameter("code").getValue().primitiveValue()).build());
        assertEquals(201, consent.status(), "the consent given at Osaka's reception: " + consent);
        assertEquals(tokyosDiagnoses, total(osaka, "Condition?patient=" + takahashi));

        FhirHttp.Response osakaSubmits = osaka.post("$submit", null, FhirHttp.FHIR.newJsonParser().encodeResourceToString(
                ClinsBundleBuilder.diagnoses().from(OSAKA_CLINIC).forPatient(person).build()), "application/fhir+json");
        assertForbidden(osakaSubmits, "system/Bundle.c");
        FhirHttp.Response tokyoAsOsaka = tokyo.post("$submit", null, FhirHttp.FHIR.newJsonParser().encodeResourceToString(
                ClinsBundleBuilder.diagnoses().from(OSAKA_CLINIC).forPatient(person).build()), "application/fhir+json");
        assertEquals(403, tokyoAsOsaka.status(), "the token's institution, not the Bundle's, is the submitter: " + tokyoAsOsaka);
    }

    @Test
    void aPatientSignsInWithPkceAndReadsOnlyTheirOwnRecords() throws Exception {
        JsonNode tokens = TestKeycloak.patientSignIn(port(), "yoshida", PORTAL_SCOPES);
        assertEquals(patients.get("yoshida"), tokens.get("patient").asText(), "the launch context beside the token");
        assertEquals(patient("yoshida"), claims(tokens.get("id_token").asText()).get("fhirUser").asText());
        assertTrue(tokens.get("scope").asText().contains("patient/*.rs"), tokens.get("scope")::asText);
        FhirHttp yoshida = as(tokens.get("access_token").asText());

        assertEquals(200, yoshida.get(patient("yoshida")).status());
        assertTrue(total(yoshida, "Condition?patient=" + patient("yoshida")) >= 2, "diagnoses from Tokyo and Osaka");
        assertEquals(404, yoshida.get(patient("takahashi")).status(), "another patient is as if absent");
        assertEquals(0, total(yoshida, "Condition?patient=" + patient("takahashi")));
        assertEquals(1, total(yoshida, "Patient"), "a patient search finds only oneself");
    }

    @Test
    void thePatientsConsentDecidesWhatAnotherInstitutionReadsAndRevocationStopsIt() {
        FhirHttp yokohama = as(TestKeycloak.institution(YOKOHAMA, "system/*.rs"));
        String yoshidaId = patient("yoshida");
        assertEquals(0, total(yokohama, "Observation?patient=" + yoshidaId));

        FhirHttp yoshida = as(patientToken("yoshida", PORTAL_SCOPES));
        FhirHttp.Response given = yoshida.create(ConsentBuilder.permit().to(YOKOHAMA).only("lab-result").forPatient(yoshidaId).build());
        assertEquals(201, given.status(), given::toString);
        assertTrue(total(yokohama, "Observation?patient=" + yoshidaId) > 0, "lab results, item by item");
        assertEquals(0, total(yokohama, "Condition?patient=" + yoshidaId), "not diagnoses");

        Consent revoked = given.resource(Consent.class);
        revoked.setStatus(Consent.ConsentState.INACTIVE);
        assertEquals(200, yoshida.update(revoked).status());
        assertEquals(0, total(yokohama, "Observation?patient=" + yoshidaId), "revoked on the next request");

        FhirHttp readOnly = as(patientToken("yoshida", "openid launch/patient patient/*.rs"));
        assertForbidden(readOnly.create(ConsentBuilder.permit().to(YOKOHAMA).forPatient(yoshidaId).build()), "patient/Consent.c");
    }

    @Test
    void aScopeWithASearchQueryGrantsOnlyWhatMatchesIt() {
        String takahashi = patient("takahashi");
        FhirHttp labOnly = as(patientToken("takahashi", "openid launch/patient patient/Observation.rs?category=laboratory"));
        int laboratory = total(labOnly, "Observation?patient=" + takahashi + "&category=laboratory");
        assertTrue(laboratory > 0);
        assertEquals(laboratory, total(labOnly, "Observation?patient=" + takahashi), "the search without the category is narrowed, not refused");
        assertForbidden(labOnly.get("Condition?patient=" + takahashi), "Condition");
    }

    @Test
    void aScopeWithASearchQueryNarrowsTheSearchToWhatMatchesAndRefusesReadsOfTheRest() {
        TestPatient person = TestPatient.aPatient();
        FhirHttp tokyo = as(TestKeycloak.institution(TOKYO_CENTRAL, "system/*.rs system/Bundle.c"));
        Bundle bundle = ClinsBundleBuilder.diagnoses().from(TOKYO_CENTRAL).forPatient(person).withItems("G1", "G2").build();
        ((org.hl7.fhir.r4.model.Condition) bundle.getEntry().get(2).getResource()).setClinicalStatus(new org.hl7.fhir.r4.model.CodeableConcept(
                new org.hl7.fhir.r4.model.Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved", null)));
        FhirHttp.Response submitted = tokyo.post("$submit", null, FhirHttp.FHIR.newJsonParser().encodeResourceToString(bundle), "application/fhir+json");
        assertEquals(200, submitted.status(), submitted::toString);
        Bundle receipt = submitted.resource(Bundle.class);
        String patient = versionless(located(receipt, "Patient"));
        List<String> conditions = receipt.getEntry().stream().map(e -> e.getResponse().getLocation())
                .filter(l -> l.startsWith("Condition/")).map(TokenAccessTest::versionless).toList();

        String scope = "system/Condition.rs?clinical-status=resolved";
        String clientId = "resolved-only-" + System.nanoTime();
        withTestClient(clientId, Map.of(), true, TOKYO_CENTRAL, scope);
        FhirHttp resolvedOnly = as(TokenClient.ofIssuer(TestKeycloak.issuer()).clientCredentials(clientId, "test-secret", scope));
        Bundle found = resolvedOnly.get("Condition?patient=" + patient).resource(Bundle.class);
        assertEquals(1, found.getTotal(), "only what the scope's query matches: the resolved diagnosis");
        assertEquals(conditions.get(1), "Condition/" + found.getEntryFirstRep().getResource().getIdElement().getIdPart());
        assertEquals(200, resolvedOnly.get(conditions.get(1)).status());
        assertForbidden(resolvedOnly.get(conditions.get(0)), "clinical-status=resolved");
        assertEquals(2, total(tokyo, "Condition?patient=" + patient), "the same institution's unconstrained token sees both");
    }

    @Test
    void aPageIsReadOnlyWithScopesCoveringTheSearchThatMadeIt() {
        String yoshida = patient("yoshida");
        FhirHttp broad = as(patientToken("yoshida", PORTAL_SCOPES));
        Bundle first = broad.get("Condition?patient=" + yoshida + "&_count=1").resource(Bundle.class);
        String page = pageOf(first);
        FhirHttp observationsOnly = as(patientToken("yoshida", "openid launch/patient patient/Observation.rs"));
        assertForbidden(observationsOnly.get(page), "Condition");
        assertEquals(200, broad.get(page).status(), "the searcher pages on");

        Bundle observations = broad.get("Observation?patient=" + yoshida + "&_count=1").resource(Bundle.class);
        String observationPage = pageOf(observations);
        FhirHttp labOnly = as(patientToken("yoshida", "openid launch/patient patient/Observation.rs?category=laboratory"));
        assertForbidden(labOnly.get(observationPage), "other scopes");
    }

    @Test
    void v1ScopesAreReadAsTheirV2Equivalents() {
        String saito = patient("saito");
        FhirHttp v1 = as(patientToken("saito", "openid launch/patient patient/*.read"));
        assertEquals(200, v1.get("Condition?patient=" + saito).status(), "read = rs");
        assertForbidden(v1.create(ConsentBuilder.permit().to(YOKOHAMA).forPatient(saito).build()), "Consent");
    }

    @Test
    void anInsurerFindsItsMembersAndReadsOnlyTheirCheckupReports() {
        FhirHttp sakura = as(TestKeycloak.insurer("06139991", "system/*.rs"));
        String yoshidaMember = TestKeycloak.REALM.patients().get(0).memberId();
        Bundle found = sakura.get("Patient?identifier=" + encode(JpIdentifiers.INSURANCE_MEMBER_ID + "|" + yoshidaMember)).resource(Bundle.class);
        assertEquals(1, found.getEntry().size(), "its member, by insurance member ID");
        assertEquals(patients.get("yoshida"), found.getEntryFirstRep().getResource().getIdElement().getIdPart());
        String takahashiMember = TestKeycloak.REALM.patients().get(1).memberId();
        assertEquals(0, sakura.get("Patient?identifier=" + encode(JpIdentifiers.INSURANCE_MEMBER_ID + "|" + takahashiMember))
                .resource(Bundle.class).getEntry().size(), "another insurer's member");
        assertForbidden(sakura.get("Patient?name=" + encode("髙橋")), "identifier");

        Bundle documents = sakura.get("DocumentReference?patient=" + patient("yoshida")).resource(Bundle.class);
        assertTrue(documents.getTotal() >= 1, "the checkup report");
        documents.getEntry().forEach(e -> assertEquals("53576-5",
                ((DocumentReference) e.getResource()).getType().getCodingFirstRep().getCode(), "checkup reports only"));
        assertEquals(0, total(sakura, "Condition?patient=" + patient("yoshida")));
        assertEquals(0, total(sakura, "DocumentReference?patient=" + patient("takahashi")));
    }

    @Test
    void anEmergencyDeclaredInTheTokenReadsWithoutConsentAndTheAccessLogShowsIt() {
        String saito = patient("saito");
        assertEquals(0, total(as(TestKeycloak.institution(YOKOHAMA, "system/*.rs")), "Condition?patient=" + saito));
        FhirHttp emergency = as(TestKeycloak.institution(YOKOHAMA, "system/*.rs purpose/ETREAT"));
        assertEquals(403, emergency.get("Condition?patient=" + saito).status(), "the role (realm_access.roles) alone is not enough: state the reason");
        breakGlass(emergency, saito);
        assertTrue(total(emergency, "Condition?patient=" + saito) > 0, "emergency care without consent, in the window");
        assertEquals(403, as(TestKeycloak.institution(OSAKA_CLINIC, "system/*.rs purpose/ETREAT")).get("Condition?patient=" + saito).status(),
                "an institution without the emergency-access role");

        Bundle log = as(patientToken("saito", PORTAL_SCOPES)).get("AuditEvent?_count=50").resource(Bundle.class);
        assertTrue(log.getEntry().stream().map(e -> (AuditEvent) e.getResource()).anyMatch(event ->
                event.getAgent().stream().anyMatch(a -> a.getRequestor() && YOKOHAMA.equals(a.getWho().getIdentifier().getValue())
                        && "横浜みなみ病院".equals(a.getWho().getDisplay()))
                        && event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode().equals("ETREAT")),
                "the patient sees Yokohama's emergency read, by the name its token vouches for");
    }

    @Test
    void theOperatorEnrolsPatientsButReadsNoClinicalContent() {
        FhirHttp operator = as(TestKeycloak.operator("system/*.rs"));
        String member = TestKeycloak.REALM.patients().get(2).memberId();
        assertEquals(1, operator.get("Patient?identifier=" + encode(JpIdentifiers.INSURANCE_MEMBER_ID + "|" + member))
                .resource(Bundle.class).getEntry().size());
        assertForbidden(operator.get("Condition?patient=" + patient("saito")), "operator");
    }

    @Test
    void aCallWithoutTokenIsAskedForOneAndDevelopmentHeadersAreNotTrusted() {
        FhirHttp.Response anonymous = fhir.get("Condition?patient=" + patient("yoshida"));
        assertUnauthenticated(anonymous, "identity");
        FhirHttp.Response header = fhir.asInstitution(TOKYO_CENTRAL).get("Condition?patient=" + patient("yoshida"));
        assertUnauthenticated(header, "identity");
        FhirHttp.Response basic = fhir.withHeaders(Map.of("Authorization", "Basic dG9reW86c2VjcmV0")).get("metadata");
        assertUnauthenticated(basic, "Bearer");
    }

    @Test
    void aTokenWithAForgedOrMissingSignatureIsRefused() throws Exception {
        String osaka = TestKeycloak.institution(OSAKA_CLINIC, "system/*.rs");
        String[] parts = osaka.split("\\.");
        ObjectNode claims = (ObjectNode) claims(osaka);
        claims.put("institution_code", TOKYO_CENTRAL);
        String forged = parts[0] + "." + base64(JSON.writeValueAsBytes(claims)) + "." + parts[2];
        assertUnauthenticated(as(forged).get("Condition?patient=" + patient("yoshida")), "not valid");
        String unsigned = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        assertUnauthenticated(as(unsigned).get("Condition?patient=" + patient("yoshida")), "not valid");
        assertEquals(200, as(osaka).get("Condition?patient=" + patient("yoshida")).status(), "the genuine token still works");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String clientId = "short-lived-" + System.nanoTime();
        withTestClient(clientId, Map.of("access.token.lifespan", "1"), true);
        String token = TokenClient.ofIssuer(TestKeycloak.issuer()).clientCredentials(clientId, "test-secret", "system/*.rs");
        Thread.sleep(3_500); // lifespan 1 s, the test gateway's clock skew 1 s
        assertUnauthenticated(as(token).get("metadata"), "expired");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String clientId = "other-service-" + System.nanoTime();
        withTestClient(clientId, Map.of(), false);
        String token = TokenClient.ofIssuer(TestKeycloak.issuer()).clientCredentials(clientId, "test-secret", "system/*.rs");
        assertUnauthenticated(as(token).get("metadata"), "not meant for clins-gateway");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefusedThoughSignedWithTheSameKey() throws Exception {
        // Keycloak behind a proxy that names another host: the same realm and key, another issuer.
        var tokyo = TestKeycloak.REALM.institutions().get(0);
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(TestKeycloak.issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-Host", "auth.elsewhere.example").header("X-Forwarded-Proto", "https")
                .header("Authorization", "Basic " + base64((tokyo.clientId() + ":" + tokyo.secret()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=system%2F*.rs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer::body);
        String token = JSON.readTree(answer.body()).get("access_token").asText();
        assertNotEquals(TestKeycloak.issuer(), claims(token).get("iss").asText());
        assertUnauthenticated(as(token).get("Condition?patient=" + patient("yoshida")), "iss");
    }

    @Test
    void aTokenWithoutScopesReachesNothing() {
        FhirHttp scopeless = as(TestKeycloak.institution(TOKYO_CENTRAL, ""));
        assertForbidden(scopeless.get("Condition?patient=" + patient("yoshida")), "scopes");
        assertForbidden(scopeless.get(patient("yoshida")), "scopes");
    }

    /** A client of the realm the demo description does not have, for the refusals. */
    private static void withTestClient(String clientId, Map<String, String> attributes, boolean forTheGateway) {
        withTestClient(clientId, attributes, forTheGateway, YOKOHAMA, "system/*.rs");
    }

    /** A test client for one institution, with one optional scope (created in the realm if it is not there). */
    private static void withTestClient(String clientId, Map<String, String> attributes, boolean forTheGateway, String institution, String scope) {
        try (Keycloak admin = TestKeycloak.server().admin()) {
            RealmResource realm = admin.realm(TestKeycloak.REALM.realm());
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId(clientId);
            client.setPublicClient(false);
            client.setSecret("test-secret");
            client.setServiceAccountsEnabled(true);
            client.setStandardFlowEnabled(false);
            client.setAttributes(attributes);
            client.setDefaultClientScopes(forTheGateway ? List.of("basic", "gateway-audience") : List.of("basic"));
            if (realm.clientScopes().findAll().stream().noneMatch(s -> s.getName().equals(scope))) {
                org.keycloak.representations.idm.ClientScopeRepresentation created = new org.keycloak.representations.idm.ClientScopeRepresentation();
                created.setName(scope);
                created.setProtocol("openid-connect");
                created.setAttributes(Map.of("include.in.token.scope", "true"));
                realm.clientScopes().create(created).close();
            }
            client.setOptionalClientScopes(List.of(scope));
            client.setProtocolMappers(List.of());
            realm.clients().create(client).close();
            String id = realm.clients().findByClientId(clientId).get(0).getId();
            org.keycloak.representations.idm.ProtocolMapperRepresentation code = new org.keycloak.representations.idm.ProtocolMapperRepresentation();
            code.setName("institution code");
            code.setProtocol("openid-connect");
            code.setProtocolMapper("oidc-hardcoded-claim-mapper");
            code.setConfig(Map.of("claim.name", "institution_code", "claim.value", institution, "jsonType.label", "String",
                    "access.token.claim", "true"));
            realm.clients().get(id).getProtocolMappers().createMapper(code).close();
        }
    }

    private static void assertUnauthenticated(FhirHttp.Response response, String why) {
        assertEquals(401, response.status(), response::toString);
        OperationOutcome outcome = response.outcome();
        assertEquals(OperationOutcome.IssueType.LOGIN, outcome.getIssueFirstRep().getCode());
        assertTrue(outcome.getIssueFirstRep().getDiagnostics().contains(why), outcome.getIssueFirstRep()::getDiagnostics);
    }

    /** The next page's link, relative to the FHIR base. */
    private static String pageOf(Bundle searchset) {
        String next = searchset.getLink("next").getUrl();
        String relative = next.substring(next.indexOf("/fhir") + "/fhir".length());
        return relative.startsWith("/") ? relative.substring(1) : relative;
    }

    private static void assertForbidden(FhirHttp.Response response, String why) {
        assertEquals(403, response.status(), response::toString);
        OperationOutcome outcome = response.outcome();
        assertEquals(OperationOutcome.IssueType.FORBIDDEN, outcome.getIssueFirstRep().getCode());
        assertTrue(outcome.getIssueFirstRep().getDiagnostics().contains(why), outcome.getIssueFirstRep()::getDiagnostics);
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
