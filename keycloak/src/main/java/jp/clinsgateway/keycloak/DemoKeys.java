package jp.clinsgateway.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The demo realm's Backend Services client and its key pair. The private key is published in this
 * repository so the run command can show a working signed-JWT sign-in: anyone can sign as this
 * client, so its public key belongs in the demo realm and nowhere else.
 */
public final class DemoKeys {

    /** 東京中央病院's Backend Services client in {@code demo-realm.json}. */
    public static final String BACKEND_CLIENT = "emr-1311234567-backend";
    private static final String RESOURCE = "/demo-keys/emr-1311234567-backend.DEMO-ONLY.jwk.json";

    private DemoKeys() {
    }

    /** The demo client's private key. */
    public static SigningKey backendKey() {
        try (InputStream in = resource()) {
            return SigningKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the demo client's private key (a JWK) into the folder, for the command line; answers the file. */
    public static Path writeInto(Path folder) throws IOException {
        Files.createDirectories(folder);
        return copyTo(folder.resolve(RESOURCE.substring(RESOURCE.lastIndexOf('/') + 1)));
    }

    private static Path copyTo(Path file) throws IOException {
        try (InputStream in = resource()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static InputStream resource() throws IOException {
        InputStream in = DemoKeys.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException("The demo key " + RESOURCE + " is missing from the classpath");
        }
        return in;
    }
}
