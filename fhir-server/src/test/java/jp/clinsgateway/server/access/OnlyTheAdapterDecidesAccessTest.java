package jp.clinsgateway.server.access;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARCHITECTURE.md: the policy in consent-engine decides, this package enforces, and no other class
 * of the server makes an access decision: none asks what kind of caller it has ({@code instanceof
 * Requester}) and none consults the policy itself (only the bean that creates it names it).
 */
class OnlyTheAdapterDecidesAccessTest {

    private static final Path SOURCES = Path.of("src/main/java/jp/clinsgateway/server");
    private static final Path ADAPTER = SOURCES.resolve("access");
    private static final Path POLICY_BEAN = SOURCES.resolve("consent/ConsentConfiguration.java");

    @Test
    void noClassOutsideTheAdapterDecidesAccess() throws IOException {
        List<String> offences;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offences = files.filter(p -> p.toString().endsWith(".java") && !p.startsWith(ADAPTER))
                    .flatMap(OnlyTheAdapterDecidesAccessTest::decisions)
                    .toList();
        }
        assertEquals(List.of(), offences);
        try (Stream<Path> adapter = Files.list(ADAPTER)) {
            assertTrue(adapter.anyMatch(p -> p.toString().endsWith(".java")), "the adapter's sources are where the test looks");
        }
    }

    private static Stream<String> decisions(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream()
                    .filter(line -> line.contains("instanceof Requester")
                            || (!file.equals(POLICY_BEAN) && (line.contains("AccessPolicy") || line.contains("ConsentEngine"))))
                    .map(line -> SOURCES.relativize(file) + ": " + line.strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
