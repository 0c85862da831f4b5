package jp.clinsgateway.server.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One address in front of several gateway nodes, as a load balancer without stickiness: each request
 * goes to the next node in turn (method, path and query, headers and body as sent), and its answer
 * comes back as the node gave it. Which node answered is recorded, and named in the answer's
 * {@value #NODE_HEADER} header.
 */
public final class RoundRobinProxy implements AutoCloseable {

    public static final String NODE_HEADER = "X-Answered-By-Node";

    /** Headers that belong to one hop (and that the JDK client sets itself). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection", "http2-settings");

    private final List<Integer> nodes;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger next = new AtomicInteger();
    private final List<Integer> answeredBy = Collections.synchronizedList(new ArrayList<>());

    private RoundRobinProxy(List<Integer> nodes) throws IOException {
        this.nodes = List.copyOf(nodes);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::forward);
        server.setExecutor(workers);
        server.start();
    }

    /** A proxy on a free loopback port in front of the nodes listening on these ports. */
    public static RoundRobinProxy inFrontOf(List<Integer> nodePorts) {
        try {
            return new RoundRobinProxy(nodePorts);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The index (in the order given) of the node that answered each request so far. */
    public List<Integer> answeredBy() {
        synchronized (answeredBy) {
            return List.copyOf(answeredBy);
        }
    }

    /** The index of the node that answered the last request. */
    public int lastNode() {
        List<Integer> all = answeredBy();
        return all.get(all.size() - 1);
    }

    private void forward(HttpExchange exchange) throws IOException {
        int node = Math.floorMod(next.getAndIncrement(), nodes.size());
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodes.get(node)
                            + exchange.getRequestURI().toString()))
                    .timeout(Duration.ofMinutes(5))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            answeredBy.add(node);
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.getResponseHeaders().set(NODE_HEADER, Integer.toString(node));
            byte[] returned = answer.body();
            boolean bodiless = returned.length == 0 || answer.statusCode() == 204 || answer.statusCode() == 304
                    || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
            exchange.sendResponseHeaders(answer.statusCode(), bodiless ? -1 : returned.length);
            if (!bodiless) {
                exchange.getResponseBody().write(returned);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
