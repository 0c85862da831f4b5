package jp.clinsgateway.keycloak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealmDescriptionTest {

    @Test
    void theDemoRealmHoldsTheDemoInstitutionsInsurersAndPatientsWithTheirNamesExact() {
        RealmDescription demo = RealmDescription.demo();
        assertEquals("clins", demo.realm());
        assertEquals(4, demo.institutions().size(), "three EMRs with secrets, one Backend Services client with a key");
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
    void aKeyAuthenticatedClientRegistersAJwksUrlOrAPublicKeyAsPemOrJwk() throws Exception {
        KeyPair rsa = keyPair("RSA", 2048);
        KeyPair ec = ecKeyPair("secp384r1");
        RSAKey rsaJwk = new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("rsa-2026").build();
        RealmDescription description = read(institutions(
                "{\"code\": \"1311234567\", \"clientId\": \"by-url\", \"auth\": \"private_key_jwt\", \"algorithm\": \"RS384\","
                        + " \"jwksUrl\": \"https://emr.example.jp/.well-known/jwks.json\"}",
                "{\"code\": \"1311234567\", \"clientId\": \"by-pem\", \"auth\": \"private_key_jwt\", \"algorithm\": \"ES384\","
                        + " \"publicKey\": " + quoted(pem("PUBLIC KEY", ec.getPublic().getEncoded())) + "}",
                "{\"code\": \"1311234567\", \"clientId\": \"by-jwk\", \"auth\": \"private_key_jwt\", \"algorithm\": \"RS384\","
                        + " \"publicKey\": " + rsaJwk.toJSONString() + "}",
                "{\"code\": \"1311234567\", \"clientId\": \"by-secret\", \"secret\": \"s\"}"));

        ClientAuthentication.PrivateKeyJwt byUrl = (ClientAuthentication.PrivateKeyJwt) description.institutions().get(0).authentication();
        assertEquals("https://emr.example.jp/.well-known/jwks.json", byUrl.jwksUrl().orElseThrow().toString());
        assertTrue(byUrl.keys().isEmpty());

        ClientAuthentication.PrivateKeyJwt byPem = (ClientAuthentication.PrivateKeyJwt) description.institutions().get(1).authentication();
        JWK registered = byPem.keys().orElseThrow().getKeys().get(0);
        assertEquals(ECKey.parse(registered.toJSONString()).toECPublicKey(), ec.getPublic());
        assertEquals(registered.computeThumbprint().toString(), registered.getKeyID(), "a PEM key is known by its RFC 7638 thumbprint");
        assertEquals("ES384", registered.getAlgorithm().getName());
        assertEquals(KeyUse.SIGNATURE, registered.getKeyUse());
        assertFalse(registered.isPrivate());

        ClientAuthentication.PrivateKeyJwt byJwk = (ClientAuthentication.PrivateKeyJwt) description.institutions().get(2).authentication();
        assertEquals("rsa-2026", byJwk.keys().orElseThrow().getKeys().get(0).getKeyID(), "a JWK keeps its own kid");
        assertEquals("RS384", byJwk.algorithm());

        assertEquals(new ClientAuthentication.ClientSecret("s"), description.institutions().get(3).authentication(),
                "an entry with only a secret authenticates with it, as before");
    }

    @Test
    void keyDeclarationsWithMistakesAreRefusedNamingEachPlace() throws Exception {
        String rsa1024 = pem("PUBLIC KEY", keyPair("RSA", 1024).getPublic().getEncoded());
        String p256 = pem("PUBLIC KEY", ecKeyPair("secp256r1").getPublic().getEncoded());
        KeyPair ec = ecKeyPair("secp384r1");
        String privateJwk = new ECKey.Builder(Curve.P_384, (ECPublicKey) ec.getPublic()).privateKey(ec.getPrivate()).build().toJSONString();
        String privatePem = pem("PRIVATE KEY", ec.getPrivate().getEncoded());
        String json = """
                {"realm": "clins", "portal": {"clientId": "portal", "redirectPaths": ["/portal/*"]},
                 "scopes": {"patient": [], "institution": [], "insurer": [], "operator": []},
                 "institutions": [
                   {"code": "1311234567", "clientId": "c0", "auth": "private_key_jwt"},
                   {"code": "1311234567", "clientId": "c1", "auth": "private_key_jwt", "algorithm": "RS384", "jwksUrl": "http://emr.example.jp/jwks"},
                   {"code": "1311234567", "clientId": "c2", "auth": "private_key_jwt", "algorithm": "RS384", "publicKey": %s},
                   {"code": "1311234567", "clientId": "c3", "auth": "private_key_jwt", "algorithm": "ES384", "publicKey": %s},
                   {"code": "1311234567", "clientId": "c4", "auth": "private_key_jwt", "algorithm": "ES384", "publicKey": %s},
                   {"code": "1311234567", "clientId": "c5", "auth": "private_key_jwt", "algorithm": "ES384", "publicKey": %s},
                   {"code": "1311234567", "clientId": "c6", "auth": "private_key_jwt", "algorithm": "ES384", "secret": "s",
                    "jwksUrl": "https://emr.example.jp/jwks"},
                   {"code": "1311234567", "clientId": "c7", "auth": "basic", "secret": "s"},
                   {"code": "1311234567", "clientId": "c8", "auth": "private_key_jwt", "algorithm": "RS256", "jwksUrl": "https://emr.example.jp/jwks"},
                   {"code": "1311234567", "clientId": "c9", "auth": "private_key_jwt", "algorithm": "RS384", "publicKey": "not a key"}],
                 "insurers": [{"number": "06139991", "clientId": "ins"}],
                 "operators": [{"clientId": "op", "auth": "client_secret", "secret": "s", "jwksUrl": "https://op.example.jp/jwks"}]}
                """.formatted(quoted(rsa1024), quoted(p256), privateJwk, quoted(privatePem));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RealmDescription.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        for (String place : new String[]{
                "institutions[0].algorithm: RS384 or ES384", "institutions[0]: private_key_jwt needs exactly one of jwksUrl",
                "institutions[1].jwksUrl: an https URL",
                "institutions[2].publicKey: RS384 needs an RSA key of 2048 bits or more, not RSA 1024 bits",
                "institutions[3].publicKey: ES384 needs an elliptic curve key on P-384, not EC P-256",
                "institutions[4].publicKey: holds a private key",
                "institutions[5].publicKey: a PRIVATE KEY block is a private key",
                "institutions[6].secret: a client authenticating with private_key_jwt has no secret",
                "institutions[7].auth: 'basic' is neither",
                "institutions[8].algorithm: RS384 or ES384, not 'RS256'",
                "institutions[9].publicKey: a PEM public key",
                "insurers[0].auth: private_key_jwt (with jwksUrl or publicKey, and algorithm RS384 or ES384) or client_secret",
                "operators[0].jwksUrl: only with auth private_key_jwt"}) {
            assertTrue(refused.getMessage().contains(place), () -> place + " in " + refused.getMessage());
        }
    }

    @Test
    void aJwksUrlOnThisMachineMayBePlainHttpForDevelopment() throws Exception {
        RealmDescription description = read(institutions("{\"code\": \"1311234567\", \"clientId\": \"local\", \"auth\": \"private_key_jwt\","
                + " \"algorithm\": \"ES384\", \"jwksUrl\": \"http://127.0.0.1:9999/jwks.json\"}"));
        assertTrue(description.institutions().get(0).authentication() instanceof ClientAuthentication.PrivateKeyJwt);
    }

    @Test
    void theDemoRealmsBackendServicesClientIsRegisteredWithThePublicHalfOfTheDemoKey() {
        RealmDescription.Institution backend = RealmDescription.demo().institutions().stream()
                .filter(i -> i.clientId().equals(DemoKeys.BACKEND_CLIENT)).findFirst().orElseThrow();
        ClientAuthentication.PrivateKeyJwt keys = (ClientAuthentication.PrivateKeyJwt) backend.authentication();
        SigningKey demoKey = DemoKeys.backendKey();
        assertEquals("ES384", keys.algorithm());
        assertEquals(demoKey.algorithm(), keys.algorithm());
        assertEquals(demoKey.publicJwk().toPublicJWK().toJSONObject(), keys.keys().orElseThrow().getKeyByKeyId(demoKey.kid()).toJSONObject());
    }

    @Test
    void theProductionExampleHoldsNoSecretsOnlyKeys() throws Exception {
        RealmDescription production = RealmDescription.read(Path.of("..", "docker", "realm.json"));
        List<RealmDescription.ConfidentialClient> clients = new ArrayList<>();
        clients.addAll(production.institutions());
        clients.addAll(production.insurers());
        clients.addAll(production.operators());
        assertFalse(clients.isEmpty());
        clients.forEach(client -> assertTrue(client.authentication() instanceof ClientAuthentication.PrivateKeyJwt, client::clientId));
    }

    private static RealmDescription read(String json) throws Exception {
        return RealmDescription.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String institutions(String... entries) {
        return """
                {"realm": "clins", "gatewaySecret": "s", "portal": {"clientId": "portal", "redirectPaths": ["/portal/*"]},
                 "scopes": {"patient": [], "institution": [], "insurer": [], "operator": []},
                 "institutions": [%s]}
                """.formatted(String.join(",\n", entries));
    }

    static KeyPair keyPair(String algorithm, int size) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(size);
        return generator.generateKeyPair();
    }

    static KeyPair ecKeyPair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String quoted(String text) throws Exception {
        return new ObjectMapper().writeValueAsString(text);
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
