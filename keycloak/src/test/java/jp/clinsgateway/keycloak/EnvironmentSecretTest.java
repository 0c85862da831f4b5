package jp.clinsgateway.keycloak;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnvironmentSecretTest {

    @Test
    void aSecretComesFromTheVariableOrElseFromTheFileItsFileVariableNames(@TempDir Path folder) throws Exception {
        Path file = Files.writeString(folder.resolve("emr_tokyo_secret"), "s3cr\u00e9t\n");
        assertEquals(Optional.of("direct"), EnvironmentSecret.read("EMR_SECRET", Map.of("EMR_SECRET", "direct", "EMR_SECRET_FILE", file.toString())));
        assertEquals(Optional.of("s3cr\u00e9t"), EnvironmentSecret.read("EMR_SECRET", Map.of("EMR_SECRET_FILE", file.toString())),
                "the file's contents without the line break echo leaves");
        assertEquals(Optional.empty(), EnvironmentSecret.read("EMR_SECRET", Map.of()));
    }
}
