package jp.clinsgateway.server.notification;

import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Optional;

/**
 * One rest-hook notification: an empty POST to the subscription's endpoint with its headers (R4: without
 * payload, "no body"), no redirect followed, short timeouts. The headers are the insurer's secrets for its
 * endpoint: they are sent, never logged nor put in an error text.
 */
final class RestHook {

    private final HttpClient http;
    private final NotificationProperties properties;

    RestHook(NotificationProperties properties) {
        this.properties = properties;
        // HTTP/1.1: a notification is one small request; no h2c upgrade dance with the insurer's server
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.connectTimeout())
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

    /** Sends the notification; empty when the endpoint answered 2xx, else why not (for the subscription's error). */
    Optional<String> send(Subscription subscription) {
        String endpoint = subscription.getChannel().getEndpoint();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint))
                .timeout(properties.responseTimeout())
                .POST(HttpRequest.BodyPublishers.noBody());
        for (StringType header : subscription.getChannel().getHeader()) {
            String[] nameAndValue = SubscriptionRules.split(header.getValue());
            request.header(nameAndValue[0], nameAndValue[1]);
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 300 ? Optional.empty()
                    : Optional.of("The endpoint answered HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
        } catch (HttpTimeoutException e) {
            return Optional.of("The endpoint did not answer in time");
        } catch (IOException e) {
            return Optional.of("The endpoint could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            return Optional.of("The endpoint refused a header");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("Delivery interrupted");
        }
    }
}
