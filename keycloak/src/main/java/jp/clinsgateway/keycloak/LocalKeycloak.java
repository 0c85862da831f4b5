package jp.clinsgateway.keycloak;

import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak server on a loopback port, for development and tests: the server distribution
 * the build brought into the local Maven repository, unpacked once into a working folder, started on a
 * JDK 21+ ({@link KeycloakJdk}) with the portal's login theme installed ({@link PortalTheme}), and stopped on {@link #close()} or when this JVM ends. It needs no network
 * beyond loopback. {@link #start} runs development mode with an in-memory database; {@link #startOnPostgres}
 * runs production mode ({@code start}) on a PostgreSQL database, as a deployment does.
 */
public final class LocalKeycloak implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // A busy 2-core machine (CI beside other builds) has taken over 5 minutes for a development-mode start.
    private static final Duration START_LIMIT = Duration.ofMinutes(10);
    private static final Duration BUILD_LIMIT = Duration.ofMinutes(15);

    private final Process process;
    private final int port;
    private final String adminUser;
    private final String adminPassword;
    private final Path log;
    private final Thread stopOnExit;
    private Duration startTime = Duration.ZERO;

    private LocalKeycloak(Process process, int port, String adminUser, String adminPassword, Path log) {
        this.process = process;
        this.port = port;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.log = log;
        this.stopOnExit = new Thread(this::stop, "stop-keycloak");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Unpacks (once) and starts Keycloak, and waits until it answers.
     *
     * @param workFolder where the distribution is unpacked and the log written
     * @param port       the HTTP port on 127.0.0.1; 0 for any free one
     * @param adminPassword the bootstrap administrator's password ({@code admin}); null for a random one
     */
    public static LocalKeycloak start(Path workFolder, int port, String adminPassword) {
        return launch(workFolder, port, adminPassword, List.of("start-dev", "--db=dev-mem"), Map.of());
    }

    /**
     * Unpacks and builds (once) and starts Keycloak in production mode ({@code start --optimized}) on a PostgreSQL
     * database, and waits until it answers. The build for PostgreSQL ({@code kc.sh build}, as a deployment's image
     * does it) takes minutes on a busy machine the first time and is kept in the work folder, which should be this
     * mode's own: development mode would rebuild the distribution its way. Plain HTTP on loopback, any host name (no
     * TLS proxy here), one node (local caches: no cluster discovery).
     *
     * @param jdbcUrl  the database, e.g. {@code jdbc:postgresql://localhost:5432/keycloak}
     */
    public static LocalKeycloak startOnPostgres(Path workFolder, String jdbcUrl, String user, String password) {
        try {
            builtForPostgres(unpacked(workFolder.toAbsolutePath().normalize()), workFolder.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak could not be built for PostgreSQL", e);
        }
        return launch(workFolder, 0, null, List.of("start", "--optimized", "--db-url=" + jdbcUrl, "--db-username=" + user,
                "--http-enabled=true", "--hostname-strict=false", "--cache=local"), Map.of("KC_DB_PASSWORD", password));
    }

    private static void builtForPostgres(Path home, Path workFolder) throws IOException {
        Path built = home.resolve(".built-for-postgres");
        if (Files.exists(built)) {
            return;
        }
        Path log = workFolder.resolve("keycloak-build.log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "build", "--db=postgres")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", KeycloakJdk.find().toString());
        Process build = builder.start();
        try {
            if (!build.waitFor(BUILD_LIMIT.toMinutes(), java.util.concurrent.TimeUnit.MINUTES)) {
                build.descendants().forEach(ProcessHandle::destroyForcibly);
                build.destroyForcibly();
                throw new IllegalStateException("Keycloak's build did not finish within " + BUILD_LIMIT.toMinutes() + " minutes (log: " + log + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            build.destroyForcibly();
            throw new IllegalStateException("Interrupted while Keycloak was being built", e);
        }
        if (build.exitValue() != 0) {
            throw new IllegalStateException("Keycloak's build failed (exit " + build.exitValue() + "):\n" + Files.readString(log));
        }
        Files.writeString(built, "kc.sh build --db=postgres");
    }

    private static LocalKeycloak launch(Path workFolder, int port, String adminPassword, List<String> mode, Map<String, String> environment) {
        workFolder = workFolder.toAbsolutePath().normalize();
        try {
            Path home = unpacked(workFolder);
            // Each start: the theme as this build ships it (Keycloak reads themes/ without a build step).
            PortalTheme.installInto(home);
            Path jdk = KeycloakJdk.find();
            int httpPort = port == 0 ? freePort() : port;
            String password = adminPassword != null ? adminPassword : HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
            Path log = workFolder.resolve("keycloak-" + httpPort + ".log");
            List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString()));
            command.addAll(mode);
            command.addAll(List.of("--http-host=127.0.0.1", "--http-port=" + httpPort, "--http-management-port=" + freePort(),
                    // Loopback only: lets a local reverse proxy (or a test posing as one) name the host tokens are issued for.
                    "--proxy-headers=xforwarded"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", jdk.toString());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", password);
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            builder.environment().putAll(environment);
            long started = System.nanoTime();
            Process process = builder.start();
            LocalKeycloak keycloak = new LocalKeycloak(process, httpPort, "admin", password, log);
            keycloak.awaitReady();
            keycloak.startTime = Duration.ofNanos(System.nanoTime() - started);
            return keycloak;
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak could not be started", e);
        }
    }

    /** The server's root, e.g. {@code http://127.0.0.1:8180}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The issuer of a realm's tokens, as the gateway is to be configured with it. */
    public String issuer(String realm) {
        return url() + "/realms/" + realm;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** A client of the admin REST API, signed in as the bootstrap administrator; close it after use. */
    public Keycloak admin() {
        return KeycloakBuilder.builder().serverUrl(url()).realm("master").clientId("admin-cli")
                .username(adminUser).password(adminPassword).build();
    }

    /** From starting the process until Keycloak answered. */
    public Duration startTime() {
        return startTime;
    }

    /** The resident memory of Keycloak's JVM now, in bytes (0 where /proc is not readable). */
    public long residentMemory() {
        return process.descendants().mapToLong(LocalKeycloak::residentMemoryOf).sum() + residentMemoryOf(process.toHandle());
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or has run
        }
    }

    private void stop() {
        // kc.sh starts Keycloak's JVM as its child: stop the whole tree.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private void awaitReady() {
        URI probe = URI.create(url() + "/realms/master/.well-known/openid-configuration");
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak stopped while starting (exit " + process.exitValue() + "):\n" + tailOfLog());
            }
            try {
                HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("Interrupted while Keycloak was starting", e);
            }
            sleep(250);
        }
        stop();
        throw new IllegalStateException("Keycloak did not answer within " + START_LIMIT.toMinutes() + " minutes:\n" + tailOfLog());
    }

    private String tailOfLog() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** The distribution unpacked in the work folder; unpacked from the local Maven repository the first time. */
    static Path unpacked(Path folder) throws IOException {
        Path workFolder = folder.toAbsolutePath().normalize();
        Properties distribution = new Properties();
        try (InputStream in = LocalKeycloak.class.getResourceAsStream("/keycloak-distribution.properties")) {
            distribution.load(in);
        }
        String version = distribution.getProperty("version");
        Path home = workFolder.resolve("keycloak-" + version);
        Path complete = home.resolve(".unpacked");
        if (Files.exists(complete)) {
            return home;
        }
        Path zip = Path.of(System.getProperty("keycloak.distribution.zip", distribution.getProperty("zip")));
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("The Keycloak distribution is not at " + zip
                    + ": build the project with Maven once (mvn install -DskipTests), which downloads it");
        }
        Files.createDirectories(workFolder);
        Path partial = Files.createTempDirectory(workFolder, "keycloak-unpacking-").toAbsolutePath().normalize();
        try {
            unzip(zip, partial);
            Path unpackedHome = partial.resolve("keycloak-" + version);
            try (var scripts = Files.list(unpackedHome.resolve("bin"))) {
                scripts.filter(s -> s.toString().endsWith(".sh")).forEach(s -> s.toFile().setExecutable(true));
            }
            if (Files.exists(home)) {
                deleteTree(home); // an earlier unpacking that did not finish
            }
            Files.move(unpackedHome, home, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(complete, version);
        } finally {
            deleteTree(partial);
        }
        return home;
    }

    private static void unzip(Path zip, Path partial) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = partial.resolve(entry.getName()).normalize();
                if (!target.startsWith(partial)) {
                    throw new IOException("Unsafe entry in " + zip + ": " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long residentMemoryOf(ProcessHandle handle) {
        try {
            return Files.readAllLines(Path.of("/proc/" + handle.pid() + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(0);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
