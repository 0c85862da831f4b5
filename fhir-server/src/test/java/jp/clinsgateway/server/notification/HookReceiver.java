package jp.clinsgateway.server.notification;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** An insurer's endpoint in the test: a real HTTP server on a free loopback port that records each request per path. */
public final class HookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String method, int bodyLength, Map<String, List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();

    public HookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                    .add(new Received(exchange.getRequestMethod(), body.length, Map.copyOf(exchange.getRequestHeaders())));
            exchange.sendResponseHeaders(answers.getOrDefault(path, 200), -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL of one endpoint (a path of its own per insurer). */
    public String endpoint(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** This endpoint answers every request with {@code status}. */
    public void answer(String path, int status) {
        answers.put(path, status);
    }

    public List<Received> at(String path) {
        return List.copyOf(received.getOrDefault(path, List.of()));
    }

    /** Waits until the condition holds, polling, at most {@code limit}; false if it never did. */
    public static boolean within(Duration limit, BooleanSupplier condition) {
        Instant until = Instant.now().plus(limit);
        while (Instant.now().isBefore(until)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
