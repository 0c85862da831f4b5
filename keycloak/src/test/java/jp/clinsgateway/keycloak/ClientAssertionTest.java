package jp.clinsgateway.keycloak;

import com.fasterxml.jackson.databind.node.TextNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The assertions a Backend Services client signs, and the keys it signs them with. */
class ClientAssertionTest {

    private static final String TOKEN_URL = "https://auth.example.jp/realms/clins/protocol/openid-connect/token";

    @TempDir
    Path temp;

    @Test
    void anAssertionCarriesWhatSmartBackendServicesAsksForAndVerifiesWithTheRegisteredKey() throws Exception {
        for (String algorithm : List.of("RS384", "ES384")) {
            SigningKey key = SigningKey.generate(algorithm, Optional.empty());
            SignedJWT assertion = SignedJWT.parse(ClientAssertion.signed("emr-1311234567", TOKEN_URL, key, Duration.ofMinutes(2)));

            assertEquals(algorithm, assertion.getHeader().getAlgorithm().getName());
            assertEquals(JOSEObjectType.JWT, assertion.getHeader().getType());
            assertEquals(key.kid(), assertion.getHeader().getKeyID());
            JWTClaimsSet claims = assertion.getJWTClaimsSet();
            assertEquals("emr-1311234567", claims.getIssuer());
            assertEquals("emr-1311234567", claims.getSubject());
            assertEquals(List.of(TOKEN_URL), claims.getAudience());
            assertEquals(120, (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
            assertTrue(claims.getJWTID().length() >= 32);

            List<String> problems = new ArrayList<>();
            JWK registered = RegisteredKeys.read(TextNode.valueOf(key.publicJwk().toJSONString()), algorithm, "publicKey", problems)
                    .orElseThrow().getKeyByKeyId(key.kid());
            assertEquals(List.of(), problems);
            assertTrue(assertion.verify(registered instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) registered)),
                    algorithm + " verifies with the key the realm registers");
        }
    }

    @Test
    void everyAssertionHasItsOwnJti() throws Exception {
        SigningKey key = SigningKey.generate("ES384", Optional.of("k1"));
        String first = SignedJWT.parse(ClientAssertion.signed("c", TOKEN_URL, key, Duration.ofMinutes(1))).getJWTClaimsSet().getJWTID();
        String second = SignedJWT.parse(ClientAssertion.signed("c", TOKEN_URL, key, Duration.ofMinutes(1))).getJWTClaimsSet().getJWTID();
        assertNotEquals(first, second);
    }

    @Test
    void noAssertionLivesLongerThanFiveMinutes() {
        SigningKey key = SigningKey.generate("ES384", Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> ClientAssertion.signed("c", TOKEN_URL, key, Duration.ofSeconds(301)));
        assertThrows(IllegalArgumentException.class, () -> ClientAssertion.signed("c", TOKEN_URL, key, Duration.ZERO));
    }

    @Test
    void aPemPrivateKeySignsUnderTheKidTheRealmGivesItsPublicKey() throws Exception {
        KeyPair rsa = RealmDescriptionTest.keyPair("RSA", 2048);
        Path file = Files.writeString(temp.resolve("emr.pem"), RealmDescriptionTest.pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        SigningKey key = SigningKey.read(file, Optional.empty());

        List<String> problems = new ArrayList<>();
        JWK registered = RegisteredKeys.read(TextNode.valueOf(RealmDescriptionTest.pem("PUBLIC KEY", rsa.getPublic().getEncoded())),
                "RS384", "publicKey", problems).orElseThrow().getKeys().get(0);
        assertEquals("RS384", key.algorithm());
        assertEquals(registered.getKeyID(), key.kid(), "the thumbprint on both sides");

        KeyPair ec = RealmDescriptionTest.ecKeyPair("secp384r1");
        Path ecOnly = Files.writeString(temp.resolve("ec.pem"), RealmDescriptionTest.pem("PRIVATE KEY", ec.getPrivate().getEncoded()));
        IllegalArgumentException noPublicHalf = assertThrows(IllegalArgumentException.class, () -> SigningKey.read(ecOnly, Optional.empty()));
        assertTrue(noPublicHalf.getMessage().contains("PUBLIC KEY"), noPublicHalf::getMessage);
        Path ecPair = Files.writeString(temp.resolve("ec-pair.pem"), RealmDescriptionTest.pem("PRIVATE KEY", ec.getPrivate().getEncoded())
                + RealmDescriptionTest.pem("PUBLIC KEY", ec.getPublic().getEncoded()));
        assertEquals("ES384", SigningKey.read(ecPair, Optional.empty()).algorithm());
    }

    @Test
    void aTraditionalRsaKeyFileIsRefusedSayingHowToConvertIt() throws Exception {
        Path file = Files.writeString(temp.resolve("old.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SigningKey.read(file, Optional.empty()));
        assertTrue(refused.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), refused::getMessage);
    }

    @Test
    void aNewClientKeyIsWrittenForItsOwnerOnlyAndReadBack() throws Exception {
        SigningKey key = SigningKey.generate("RS384", Optional.of("emr-2026-1"));
        Path file = temp.resolve("keys").resolve("emr.jwk.json");
        key.writeTo(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        SigningKey read = SigningKey.read(file, Optional.empty());
        assertEquals("emr-2026-1", read.kid());
        assertEquals(key.publicJwk(), read.publicJwk());
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> key.writeTo(file), "never overwrites a key");
    }
}
