package jp.clinsgateway.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A secret named by an environment variable: its value, or else the contents of the file that
 * {@code NAME_FILE} names (Docker and Kubernetes secrets are files, so no secret need sit in a
 * compose file or a process listing). One trailing line break, as editors and {@code echo} leave it, is dropped.
 */
public final class EnvironmentSecret {

    private EnvironmentSecret() {
    }

    public static Optional<String> read(String name) {
        return read(name, System.getenv());
    }

    static Optional<String> read(String name, Map<String, String> environment) {
        String value = environment.get(name);
        if (value != null && !value.isBlank()) {
            return Optional.of(value);
        }
        String file = environment.get(name + "_FILE");
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        try {
            String contents = Files.readString(Path.of(file), StandardCharsets.UTF_8).replaceFirst("\\r?\\n\\z", "");
            return contents.isBlank() ? Optional.empty() : Optional.of(contents);
        } catch (IOException e) {
            throw new UncheckedIOException("The secret file " + file + " (" + name + "_FILE) cannot be read", e);
        }
    }
}
