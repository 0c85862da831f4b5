package jp.clinsgateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SMART App Launch standalone patient launch, driven over HTTP as a browser and a public app would:
 * discovery ({@code [fhir]/.well-known/smart-configuration}), the authorization request with PKCE
 * (S256) and {@code aud} naming the FHIR base, at the gateway's authorization endpoint, which sends the
 * browser on to the authorization server; the patient's sign-in on its login form, the redirect with the
 * code, and the token request with the code verifier. For tests, benchmarks and the command line; the
 * portal does the same in the browser.
 */
public final class PatientSignIn {

    private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*\\bid=\"kc-form-login\"[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]+)\"");
    private static final Pattern FEEDBACK = Pattern.compile("id=\"input-error[^\"]*\"[^>]*>\\s*([^<]+)<|kc-feedback-text\">\\s*([^<]+)<");

    /** The portal's registration: its client id, a redirect URI the realm allows, the scopes it asks for. */
    public record App(String clientId, String redirectUri, String scope) {
    }

    private PatientSignIn() {
    }

    /**
     * What the app holds once the patient's browser is back with the code: the code, the PKCE verifier it keeps
     * to exchange it, and the token endpoint discovery named.
     */
    public record Authorization(App app, String code, String verifier, String tokenEndpoint) {

        /** The token request with this code and the given verifier; fails with the endpoint's error when it refuses. */
        public JsonNode exchange(String codeVerifier) {
            Map<String, String> exchange = new LinkedHashMap<>();
            exchange.put("grant_type", "authorization_code");
            exchange.put("code", code);
            exchange.put("redirect_uri", app.redirectUri());
            exchange.put("client_id", app.clientId());
            exchange.put("code_verifier", codeVerifier);
            return new TokenClient(tokenEndpoint).post(exchange, null);
        }

        /** The token request as the app makes it, with its own verifier. */
        public JsonNode exchange() {
            return exchange(verifier);
        }
    }

    /** Signs the patient in and answers the token response (access token, {@code patient}, id token ...). */
    public static JsonNode signIn(String fhirBase, App app, String username, String password) {
        return authorize(fhirBase, app, username, password).exchange();
    }

    /** Signs the patient in and answers the authorization code, not yet exchanged. */
    public static Authorization authorize(String fhirBase, App app, String username, String password) {
        Browser browser = new Browser();
        String base = fhirBase.replaceFirst("/+$", "");
        JsonNode configuration = json(browser.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/smart-configuration")).GET()));
        String verifier = randomUrlSafe(48);
        String state = randomUrlSafe(16);
        Map<String, String> authorization = new LinkedHashMap<>();
        authorization.put("response_type", "code");
        authorization.put("client_id", app.clientId());
        authorization.put("redirect_uri", app.redirectUri());
        authorization.put("scope", app.scope());
        authorization.put("state", state);
        authorization.put("aud", base);
        authorization.put("code_challenge", challengeOf(verifier));
        authorization.put("code_challenge_method", "S256");
        URI authorize = URI.create(configuration.get("authorization_endpoint").asText() + "?" + TokenClient.form(authorization));

        HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(authorize).GET());
        // The gateway's authorization endpoint checks aud and sends the browser on to the authorization server.
        for (int hops = 0; hops < 3 && loginPage.statusCode() / 100 == 3 && !redirectsTo(loginPage, app); hops++) {
            loginPage = browser.send(HttpRequest.newBuilder(URI.create(loginPage.headers().firstValue("Location").orElseThrow())).GET());
        }
        if (loginPage.statusCode() != 200) {
            throw new IllegalStateException("The authorization endpoint refused the request: HTTP " + loginPage.statusCode()
                    + " " + loginPage.headers().firstValue("Location").orElse(loginPage.body()));
        }
        URI action = URI.create(loginFormAction(loginPage.body()));
        HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(action)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TokenClient.form(Map.of("username", username, "password", password, "credentialId", "")))));
        String location = signedIn.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException(
                "The sign-in of " + username + " was refused: " + feedback(signedIn.body()).orElse("HTTP " + signedIn.statusCode())));
        Map<String, String> answer = query(URI.create(location));
        if (!location.startsWith(app.redirectUri().replaceFirst("\\*$", "")) || !state.equals(answer.get("state"))) {
            throw new IllegalStateException("The authorization server redirected unexpectedly: " + location);
        }
        if (answer.containsKey("error")) {
            throw new IllegalStateException("The authorization server refused: " + answer.get("error") + " " + answer.getOrDefault("error_description", ""));
        }
        return new Authorization(app, answer.get("code"), verifier, configuration.get("token_endpoint").asText());
    }

    private static boolean redirectsTo(HttpResponse<String> response, App app) {
        return response.headers().firstValue("Location").filter(l -> l.startsWith(app.redirectUri().replaceFirst("\\*$", ""))).isPresent();
    }

    static String loginFormAction(String page) {
        Matcher form = LOGIN_FORM.matcher(page);
        if (!form.find()) {
            throw new IllegalStateException("The authorization server showed no login form");
        }
        Matcher action = ACTION.matcher(form.group());
        if (!action.find()) {
            throw new IllegalStateException("The login form has no action");
        }
        return action.group(1).replace("&amp;", "&");
    }

    private static Optional<String> feedback(String page) {
        Matcher message = FEEDBACK.matcher(page);
        return message.find() ? Optional.of((message.group(1) != null ? message.group(1) : message.group(2)).strip()) : Optional.empty();
    }

    static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomUrlSafe(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] parts = pair.split("=", 2);
                parameters.put(java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length > 1 ? java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return parameters;
    }

    /**
     * Keeps the authorization server's session cookies as a browser does. Keycloak marks them
     * {@code Secure}, which browsers honour on loopback over plain HTTP but {@code java.net.CookieManager}
     * does not, hence this small jar of its own.
     */
    private static final class Browser {
        private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private final Map<String, String> cookies = new LinkedHashMap<>();

        HttpResponse<String> send(HttpRequest.Builder request) {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                        .collect(java.util.stream.Collectors.joining("; ")));
            }
            try {
                HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                for (String cookie : response.headers().allValues("Set-Cookie")) {
                    String[] pair = cookie.split(";", 2)[0].split("=", 2);
                    if (pair.length == 2) {
                        cookies.put(pair[0].strip(), pair[1].strip());
                    }
                }
                return response;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("The gateway's SMART configuration is not available: HTTP " + response.statusCode());
        }
        try {
            return TokenClient.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
