package jp.clinsgateway.keycloak;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/: every image and version in docker/.env (Keycloak's the one the tests run), and no secret written in
 * the compose file.
 */
class DockerDeploymentTest {

    private static final Path DOCKER = Path.of("..", "docker");

    @Test
    void theContainersRunTheKeycloakVersionTheTestsRun() throws IOException {
        Properties versions = new Properties();
        try (var in = Files.newBufferedReader(DOCKER.resolve(".env"))) {
            versions.load(in);
        }
        Properties distribution = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/keycloak-distribution.properties")) {
            distribution.load(in);
        }
        assertEquals(distribution.getProperty("version"), versions.getProperty("KEYCLOAK_VERSION"),
                "docker/.env KEYCLOAK_VERSION and the pom's keycloak.version");
    }

    @Test
    void everyImageIsNamedOnlyInTheVersionsFile() throws IOException {
        List<String> images = Files.readAllLines(DOCKER.resolve("compose.yaml")).stream()
                .map(String::strip).filter(l -> l.startsWith("image:")).toList();
        assertTrue(images.size() >= 5, images.toString());
        for (String image : images) {
            assertTrue(image.contains("${") || !image.substring("image:".length()).contains(":"),
                    "an image pulled by a tag written here, not in docker/.env: " + image);
        }
        for (String from : Files.readAllLines(DOCKER.resolve("Dockerfile")).stream().filter(l -> l.startsWith("FROM ")).toList()) {
            assertTrue(from.startsWith("FROM ${"), "a base image written in the Dockerfile, not in docker/.env: " + from);
        }
    }

    @Test
    void noPasswordOrSecretIsWrittenInTheComposeFile() throws IOException {
        Matcher setting = Pattern.compile("^\\s*([A-Z_]*(PASSWORD|SECRET)[A-Z_]*):\\s*(.*)$", Pattern.MULTILINE)
                .matcher(Files.readString(DOCKER.resolve("compose.yaml")));
        int found = 0;
        while (setting.find()) {
            if (setting.group(1).endsWith("_ENABLED")) {
                continue; // a switch about secrets (GATEWAY_IDENTITY_CLIENT_SECRETS_ENABLED), not one
            }
            found++;
            assertTrue(setting.group(1).endsWith("_FILE") && setting.group(3).startsWith("/run/secrets/"),
                    "a secret in the compose file: " + setting.group());
        }
        assertTrue(found > 0, "the secrets are handed over as files");
    }
}
