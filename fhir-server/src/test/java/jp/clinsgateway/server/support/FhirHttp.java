package jp.clinsgateway.server.support;

import ca.uhn.fhir.context.FhirContext;
import jp.clinsgateway.server.identity.DevelopmentIdentityHeader;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Talks FHIR over real HTTP to the gateway under test, as an EMR would. */
public final class FhirHttp {

    public static final FhirContext FHIR = FhirContext.forR4Cached();

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final Map<String, String> identity;

    public FhirHttp(int port) {
        this("http://localhost:" + port + "/fhir/", Map.of());
    }

    private FhirHttp(String base, Map<String, String> identity) {
        this.base = base;
        this.identity = identity;
    }

    /** The same gateway, read as an institution (development identity header). */
    public FhirHttp asInstitution(String code) {
        return new FhirHttp(base, Map.of(DevelopmentIdentityHeader.HEADER, code));
    }

    /** The same gateway, read as the patient ({@code Patient/[id]}). */
    public FhirHttp asPatient(String patientReference) {
        return new FhirHttp(base, Map.of(DevelopmentIdentityHeader.PATIENT, patientReference));
    }

    /** The same gateway, read by an institution declaring a purpose of use (e.g. ETREAT). */
    public FhirHttp asInstitution(String code, String purpose) {
        return new FhirHttp(base, Map.of(DevelopmentIdentityHeader.HEADER, code, DevelopmentIdentityHeader.PURPOSE, purpose));
    }

    /** The same caller, with these gateway roles granted (e.g. emergency-access, privacy-officer). */
    public FhirHttp withRoles(String... roles) {
        Map<String, String> headers = new java.util.HashMap<>(identity);
        headers.put(DevelopmentIdentityHeader.ROLES, String.join(",", roles));
        return new FhirHttp(base, headers);
    }

    public FhirHttp asInsurer(String insurerNumber) {
        return new FhirHttp(base, Map.of(DevelopmentIdentityHeader.INSURER, insurerNumber));
    }

    /** The same gateway, called with an access token ({@code Authorization: Bearer}). */
    public FhirHttp withToken(String accessToken) {
        return new FhirHttp(base, Map.of("Authorization", "Bearer " + accessToken));
    }

    /** The same gateway, called with these request headers (e.g. a malformed Authorization). */
    public FhirHttp withHeaders(Map<String, String> headers) {
        return new FhirHttp(base, headers);
    }

    public FhirHttp asOperator() {
        return new FhirHttp(base, Map.of(DevelopmentIdentityHeader.OPERATOR, "yes"));
    }

    public String base() {
        return base;
    }

    /** POST [base]/$submit as the given institution. */
    public Response submit(String institution, String bundle) {
        return post("$submit", institution, bundle, "application/fhir+json");
    }

    public Response submit(String institution, IBaseResource bundle) {
        return submit(institution, FHIR.newJsonParser().encodeResourceToString(bundle));
    }

    public Response post(String path, String institution, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (institution != null) {
            request.header(DevelopmentIdentityHeader.HEADER, institution);
        }
        return send(request);
    }

    public Response get(String pathAndQuery) {
        return get(pathAndQuery, "application/fhir+json");
    }

    public Response get(String pathAndQuery, String accept) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Accept", accept).GET());
    }

    /**
     * Sends a GET whose request line carries the path and query as raw UTF-8 bytes, unencoded, as
     * a careless client does (java.net.http refuses to build such a request).
     */
    public Response rawGet(String pathAndQuery) {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            String request = "GET " + uri.getPath() + pathAndQuery + " HTTP/1.1\r\nHost: " + uri.getHost()
                    + "\r\nAccept: application/fhir+json\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = answer.indexOf("\r\n\r\n");
            String headers = answer.substring(0, headersEnd);
            String contentType = headers.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring(13).strip()).findFirst().orElse("");
            return new Response(Integer.parseInt(headers.substring(9, 12)),
                    answer.substring(headersEnd + 4).getBytes(StandardCharsets.UTF_8), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends these exact bytes as the request (request line, headers and body as a hostile or broken
     * client writes them), then half-closes the connection and reads the answer to its end.
     * The request should say {@code Connection: close}.
     */
    public Response rawExchange(byte[] request) {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            byte[] answer = socket.getInputStream().readAllBytes();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            int headersEnd = text.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                return new Response(0, answer, "");
            }
            String headers = text.substring(0, headersEnd);
            String contentType = headers.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring(13).strip()).findFirst().orElse("");
            boolean chunked = headers.lines().anyMatch(l -> l.toLowerCase().startsWith("transfer-encoding:") && l.toLowerCase().contains("chunked"));
            String body = text.substring(headersEnd + 4);
            if (chunked) {
                body = unchunked(body);
            }
            return new Response(Integer.parseInt(headers.substring(9, 12)), body.getBytes(StandardCharsets.ISO_8859_1), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unchunked(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int lineEnd = body.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }

    /** The server's root (without {@code /fhir/}), for paths outside the FHIR endpoint. */
    public String root() {
        return base.substring(0, base.length() - "fhir/".length());
    }

    public Response put(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    public Response create(IBaseResource resource) {
        return post(resource.fhirType(), null, FHIR.newJsonParser().encodeResourceToString(resource), "application/fhir+json");
    }

    public Response update(IBaseResource resource) {
        return put(resource.getIdElement().toUnqualifiedVersionless().getValue(), FHIR.newJsonParser().encodeResourceToString(resource));
    }

    public Response send(HttpRequest.Builder request) {
        identity.forEach(request::header);
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer: status, the exact bytes, and the body parsed as FHIR. */
    public record Response(int status, byte[] bytes, String contentType, java.net.http.HttpHeaders headers) {

        public Response(int status, byte[] bytes, String contentType) {
            this(status, bytes, contentType, java.net.http.HttpHeaders.of(Map.of(), (name, value) -> true));
        }

        /** A response header's first value, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public <T extends IBaseResource> T resource(Class<T> type) {
            String text = body();
            return text.stripLeading().startsWith("<")
                    ? FHIR.newXmlParser().parseResource(type, text)
                    : FHIR.newJsonParser().parseResource(type, text);
        }

        public OperationOutcome outcome() {
            return resource(OperationOutcome.class);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body();
        }
    }
}
