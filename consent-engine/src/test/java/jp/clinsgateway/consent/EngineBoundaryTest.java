package jp.clinsgateway.consent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The consent engine is plain Java: no HAPI, Spring, JDBC or servlet types may creep in. */
class EngineBoundaryTest {

    private static final List<String> FORBIDDEN = List.of(
            "import ca.uhn.", "import org.hl7.", "import org.springframework.", "import java.sql.",
            "import javax.sql.", "import jakarta.", "import javax.servlet.");

    @Test
    void engineSourcesImportNoFramework() throws IOException {
        Path sources = Path.of("src/main/java");
        List<String> offences;
        try (Stream<Path> files = Files.walk(sources)) {
            offences = files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(EngineBoundaryTest::forbiddenImports)
                    .toList();
        }
        assertEquals(List.of(), offences);
        try (Stream<Path> files = Files.walk(sources)) {
            assertFalse(files.noneMatch(p -> p.toString().endsWith(".java")), "no sources found under " + sources.toAbsolutePath());
        }
    }

    private static Stream<String> forbiddenImports(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> FORBIDDEN.stream().anyMatch(line::startsWith))
                    .map(line -> file.getFileName() + ": " + line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
