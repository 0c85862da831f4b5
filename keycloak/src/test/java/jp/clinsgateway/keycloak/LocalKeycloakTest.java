package jp.clinsgateway.keycloak;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unpacking the server distribution, with a small stand-in for the 176 MB zip. */
class LocalKeycloakTest {

    @TempDir
    Path temp;

    @AfterEach
    void forgetTheStandIn() {
        System.clearProperty("keycloak.distribution.zip");
    }

    private static String version() throws IOException {
        Properties distribution = new Properties();
        try (InputStream in = LocalKeycloak.class.getResourceAsStream("/keycloak-distribution.properties")) {
            distribution.load(in);
        }
        return distribution.getProperty("version");
    }

    private Path zip(String... entries) throws IOException {
        Path zip = temp.resolve("dist.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String entry : entries) {
                out.putNextEntry(new ZipEntry(entry));
                if (!entry.endsWith("/")) {
                    out.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        System.setProperty("keycloak.distribution.zip", zip.toString());
        return zip;
    }

    @Test
    void aRelativeWorkFolderSuchAsTheRunCommandsIsUnpackedOnceWithRunnableScripts() throws Exception {
        String home = "keycloak-" + version() + "/";
        Path zip = zip(home, home + "bin/", home + "bin/kc.sh", home + "lib/");
        // As GATEWAY_DATA_DIR=./data gives it: relative, with a "." in it.
        Path relative = Path.of(".", Path.of("").toAbsolutePath().relativize(temp).toString(), ".", "work");
        Path unpacked = LocalKeycloak.unpacked(relative);
        assertTrue(Files.isExecutable(unpacked.resolve("bin/kc.sh")));
        assertEquals(temp.resolve("work").toRealPath(), unpacked.getParent().toRealPath());
        try (var left = Files.list(unpacked.getParent())) {
            assertEquals(1, left.count(), "nothing left of the unpacking but the distribution");
        }
        Files.delete(zip);
        assertEquals(unpacked, LocalKeycloak.unpacked(relative), "the second time, the zip is not needed");
    }

    @Test
    void anEntryOutsideTheFolderIsRefusedAndNothingIsLeft() throws Exception {
        zip("keycloak-" + version() + "/", "../escaped.sh");
        assertThrows(IOException.class, () -> LocalKeycloak.unpacked(temp.resolve("work")));
        assertTrue(Files.notExists(temp.resolve("escaped.sh")));
        try (var left = Files.list(temp.resolve("work"))) {
            assertEquals(0, left.count());
        }
    }
}
