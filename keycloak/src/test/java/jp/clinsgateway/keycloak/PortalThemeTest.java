package jp.clinsgateway.keycloak;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The portal's login theme as a Keycloak finds it in its themes/ folder, and as docker/compose.yaml mounts it. */
class PortalThemeTest {

    private static final Path PORTAL_FONTS = Path.of("..", "portal", "src", "fonts");

    @Test
    void keycloakFindsTheThemeWithThePortalsFontAndColours(@TempDir Path home) throws IOException {
        PortalTheme.installInto(home);
        Path theme = home.resolve("themes/clins-portal/login");
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(theme.resolve("theme.properties"))) {
            properties.load(in);
        }
        assertEquals("keycloak.v2", properties.getProperty("parent"));
        assertEquals("css/styles.css fonts/noto-sans-cjk-jp.css css/clins-portal.css", properties.getProperty("styles"));
        String css = Files.readString(theme.resolve("resources/css/clins-portal.css"));
        assertTrue(css.contains("\"Noto Sans CJK JP\"") && css.contains("#0b5cad"), "the portal's font and accent colour");
        assertEquals("loginTitleHtml=わたしの医療情報", Files.readAllLines(theme.resolve("messages/messages_ja.properties")).stream()
                .filter(l -> l.startsWith("loginTitleHtml")).findFirst().orElseThrow());
        assertTrue(Files.isRegularFile(home.resolve("themes/clins-portal/NOTICE.md")), "the font's licence notice goes with it");
    }

    @Test
    void everyFontSliceOfThePortalIsInstalledUnchanged(@TempDir Path home) throws IOException {
        PortalTheme.installInto(home);
        Path fonts = home.resolve("themes/clins-portal/login/resources/fonts");
        assertEquals(Files.readString(PORTAL_FONTS.resolve("noto-sans-cjk-jp.css")), Files.readString(fonts.resolve("noto-sans-cjk-jp.css")));
        try (var slices = Files.list(PORTAL_FONTS.resolve("noto-sans-cjk-jp"))) {
            for (Path slice : slices.toList()) {
                assertEquals(Files.mismatch(slice, fonts.resolve("noto-sans-cjk-jp").resolve(slice.getFileName())), -1L, slice + " unchanged");
            }
        }
        PortalTheme.installInto(home); // a second start finds it in place
    }

    @Test
    void theComposeFileMountsTheThemeAndThePortalsFontIntoKeycloak() throws IOException {
        String compose = Files.readString(Path.of("..", "docker", "compose.yaml"));
        assertTrue(compose.contains("- ../keycloak/src/main/theme/clins-portal:/opt/keycloak/themes/clins-portal:ro"), "the theme");
        assertTrue(compose.contains("- ../portal/src/fonts:/opt/keycloak/themes/clins-portal/login/resources/fonts:ro"), "its font");
        assertTrue(Files.isDirectory(Path.of("..", "keycloak", "src", "main", "theme", "clins-portal", "login", "resources", "fonts")),
                "the font's mount point exists in the theme folder (a read-only mount cannot make it)");
    }
}
