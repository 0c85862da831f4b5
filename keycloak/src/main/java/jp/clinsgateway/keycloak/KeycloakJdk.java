package jp.clinsgateway.keycloak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK that runs Keycloak 26 (21 or newer), since the gateway itself runs on 17: the one
 * named by {@code KEYCLOAK_JAVA_HOME}, else this JVM, {@code JAVA_HOME}, or the newest one installed
 * in the usual places.
 */
final class KeycloakJdk {

    static final int REQUIRED = 21;
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(?:1\\.)?(\\d+)", Pattern.MULTILINE);

    private KeycloakJdk() {
    }

    static Path find() {
        String named = System.getenv("KEYCLOAK_JAVA_HOME");
        if (named != null && !named.isBlank()) {
            Path home = Path.of(named);
            int version = versionOf(home).orElse(0);
            if (version < REQUIRED) {
                throw new IllegalStateException("KEYCLOAK_JAVA_HOME=" + named + " is not a JDK " + REQUIRED + " or newer (found: "
                        + (version == 0 ? "no JDK" : "Java " + version) + ")");
            }
            return home;
        }
        Set<Path> candidates = new LinkedHashSet<>();
        candidates.add(Path.of(System.getProperty("java.home")));
        Optional.ofNullable(System.getenv("JAVA_HOME")).filter(h -> !h.isBlank()).map(Path::of).ifPresent(candidates::add);
        for (String parent : List.of("/usr/lib/jvm", "/usr/java", "/opt/java", "/opt", System.getProperty("user.home") + "/.sdkman/candidates/java",
                "/Library/Java/JavaVirtualMachines")) {
            candidates.addAll(children(Path.of(parent)));
        }
        List<String> seen = new ArrayList<>();
        Optional<Path> newest = candidates.stream()
                .map(KeycloakJdk::homeOf)
                .filter(home -> Files.isExecutable(home.resolve("bin/java")))
                .peek(home -> seen.add(home + " (Java " + versionOf(home).map(String::valueOf).orElse("?") + ")"))
                .filter(home -> versionOf(home).orElse(0) >= REQUIRED)
                .max(Comparator.comparingInt(home -> versionOf(home).orElse(0)));
        return newest.orElseThrow(() -> new IllegalStateException("Keycloak needs a JDK " + REQUIRED
                + " or newer, and none was found (looked at: " + (seen.isEmpty() ? "nothing" : String.join(", ", seen))
                + "). Install one, e.g. Eclipse Temurin 21 or 25, and set KEYCLOAK_JAVA_HOME to its folder."));
    }

    /** A macOS JDK keeps its home in Contents/Home. */
    private static Path homeOf(Path folder) {
        Path mac = folder.resolve("Contents/Home");
        return Files.isDirectory(mac) ? mac : folder;
    }

    static Optional<Integer> versionOf(Path home) {
        try {
            Matcher version = VERSION.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Optional.of(Integer.parseInt(version.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<Path> children(Path parent) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
