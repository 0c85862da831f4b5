package jp.clinsgateway.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The patient portal's look for Keycloak's sign-in and sign-out pages: the login theme {@value #NAME} (Keycloak's
 * {@code keycloak.v2} pages in the portal's font and colours), shipped on the class path under {@code theme/} and
 * installed into a Keycloak's {@code themes/} folder, where Keycloak finds themes without a build step. The realm names
 * it as its login theme ({@link RealmProvisioning}).
 */
public final class PortalTheme {

    public static final String NAME = "clins-portal";

    private static final String ROOT = "/theme/" + NAME + "/";
    private static final String FONT_CSS = "login/resources/fonts/noto-sans-cjk-jp.css";
    private static final List<String> FILES = List.of("NOTICE.md", "login/theme.properties", "login/resources/css/clins-portal.css",
            "login/messages/messages_ja.properties", "login/messages/messages_en.properties", FONT_CSS);
    private static final Pattern FONT_SLICE = Pattern.compile("url\\(\"\\./([^\"]+\\.woff2)\"\\)");

    private PortalTheme() {
    }

    /**
     * Copies the theme into {@code [home]/themes/clins-portal}, with every font slice its font stylesheet names
     * (listed from the stylesheet: a class path inside a jar cannot be listed); a file already there unchanged is kept.
     */
    public static void installInto(Path keycloakHome) {
        Path theme = keycloakHome.resolve("themes").resolve(NAME);
        try {
            for (String file : files()) {
                try (InputStream in = open(file)) {
                    byte[] content = in.readAllBytes();
                    Path target = theme.resolve(file);
                    if (Files.isRegularFile(target) && Files.size(target) == content.length
                            && Arrays.equals(Files.readAllBytes(target), content)) {
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    Path partial = Files.createTempFile(target.getParent(), ".installing-", ".part");
                    Files.write(partial, content);
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The portal's Keycloak theme could not be installed into " + theme, e);
        }
    }

    /** The theme's files, relative to its folder: its own, then the font slices. */
    static List<String> files() throws IOException {
        List<String> files = new ArrayList<>(FILES);
        String fontCss;
        try (InputStream in = open(FONT_CSS)) {
            fontCss = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher slice = FONT_SLICE.matcher(fontCss);
        String folder = FONT_CSS.substring(0, FONT_CSS.lastIndexOf('/') + 1);
        while (slice.find()) {
            files.add(folder + slice.group(1));
        }
        return files;
    }

    private static InputStream open(String file) throws IOException {
        InputStream in = PortalTheme.class.getResourceAsStream(ROOT + file);
        if (in == null) {
            throw new IOException("The theme file " + file + " is not on the class path (the keycloak module's build puts it there)");
        }
        return in;
    }
}
