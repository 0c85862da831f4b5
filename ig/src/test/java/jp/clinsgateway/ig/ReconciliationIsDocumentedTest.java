package jp.clinsgateway.ig;

import jp.clinsgateway.profiles.GuideReconciliation;
import jp.clinsgateway.profiles.JpGuide;
import org.hl7.fhir.r4.model.ImplementationGuide;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README and the implementation guide say which guide versions are accepted and what is
 * reconciled, word for word as {@link GuideReconciliation} and {@link JpGuide} have it: a change to
 * the list fails here until both documents say the same (the message holds the lines to paste).
 */
class ReconciliationIsDocumentedTest {

    @Test
    void theReadmeListsEveryAcceptedVersionAndEveryReconciliation() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        List<String> missing = documentedLines().stream().filter(line -> !readme.contains("- " + line)).toList();
        assertEquals(List.of(), missing, () -> "README.md lacks these lines (as list items):\n"
                + documentedLines().stream().map(l -> "- " + l).collect(Collectors.joining("\n")));
    }

    @Test
    void theImplementationGuideListsEveryAcceptedVersionAndEveryReconciliation() {
        ImplementationGuide guide = (ImplementationGuide) GuideFiles.parse(GuideFiles.GUIDE.resolve("ImplementationGuide-clins-gateway.json"));
        String description = guide.getDescription();
        List<String> missing = documentedLines().stream().filter(line -> !description.contains(line)).toList();
        assertEquals(List.of(), missing, () -> "the ImplementationGuide's description lacks:\n" + String.join("\n", missing));
    }

    /** What both documents must say: the accepted versions, each reconciliation, and what is not reconciled. */
    static List<String> documentedLines() {
        List<String> lines = new ArrayList<>();
        Arrays.stream(JpGuide.values()).map(g -> g.title() + " " + g.acceptedVersions() + ": validated against " + g.held())
                .forEach(lines::add);
        GuideReconciliation.all().stream().map(GuideReconciliation.UpstreamChange::describe).forEach(lines::add);
        lines.addAll(GuideReconciliation.NOT_RECONCILED);
        return lines;
    }
}
