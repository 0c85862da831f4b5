package jp.clinsgateway.keycloak;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeycloakJdkTest {

    @Test
    void aJdkIsKnownByTheVersionInItsReleaseFile(@TempDir Path jdk) throws Exception {
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n");
        assertEquals(25, KeycloakJdk.versionOf(jdk).orElseThrow());
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"1.8.0_402\"\n");
        assertEquals(8, KeycloakJdk.versionOf(jdk).orElseThrow());
    }
}
