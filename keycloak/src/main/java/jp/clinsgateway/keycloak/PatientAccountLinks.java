package jp.clinsgateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.UserRepresentation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Links patient accounts to their gateway Patient: the operator looks the insurance member ID up
 * in the gateway ({@code Patient?identifier=...}, with an operator token) and the account gets that
 * Patient's id as its {@code patient} attribute, which its tokens then carry. A patient whom no
 * institution has submitted data for yet stays unlinked until a later run.
 */
public final class PatientAccountLinks {

    public static final String MEMBER_ID_SYSTEM = "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID";

    /** One account's outcome: the Patient it is linked to, or empty if the gateway knows no such patient yet. */
    public record Link(String username, String memberId, Optional<String> patientId) {
    }

    private PatientAccountLinks() {
    }

    /**
     * @param fhirBase      the gateway's FHIR base URL
     * @param operatorToken an access token of the operator with {@code system/Patient.rs}
     */
    public static List<Link> link(Keycloak admin, RealmDescription description, String fhirBase, String operatorToken) {
        RealmResource realm = admin.realm(description.realm());
        List<Link> links = new ArrayList<>();
        for (RealmDescription.PatientAccount account : description.patients()) {
            Optional<String> patient = findPatient(fhirBase, operatorToken, account.memberId());
            List<UserRepresentation> users = realm.users().searchByUsername(account.username(), true);
            if (users.isEmpty()) {
                throw new IllegalStateException("No account " + account.username() + " in realm " + description.realm() + ": provision it first");
            }
            patient.ifPresent(id -> RealmProvisioning.linkAccount(realm.users().get(users.get(0).getId()), id));
            links.add(new Link(account.username(), account.memberId(), patient));
        }
        return links;
    }

    /** The operator's token, from the first operator client of the description, which authenticates with a secret. */
    public static String operatorToken(RealmDescription description, String issuer) {
        return operatorToken(description, issuer, Optional.empty());
    }

    /**
     * The operator's token, from the first operator client of the description.
     *
     * @param key the operator's private key, where it authenticates with signed assertions
     */
    public static String operatorToken(RealmDescription description, String issuer, Optional<SigningKey> key) {
        RealmDescription.Operator operator = description.operators().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("The realm description declares no operator client"));
        TokenClient tokens = TokenClient.ofIssuer(issuer);
        if (operator.authentication() instanceof ClientAuthentication.ClientSecret secret) {
            return tokens.clientCredentials(operator.clientId(), secret.declared(), "system/Patient.rs");
        }
        SigningKey signingKey = key.orElseThrow(() -> new IllegalArgumentException("The operator client " + operator.clientId()
                + " authenticates with a signed JWT: give its private key (--operator-key FILE)"));
        return tokens.clientCredentialsWithAssertion(
                ClientAssertion.signed(operator.clientId(), tokens.endpoint(), signingKey, ClientAssertion.DEFAULT_LIFETIME), "system/Patient.rs");
    }

    static Optional<String> findPatient(String fhirBase, String token, String memberId) {
        URI search = URI.create(fhirBase.replaceFirst("/+$", "") + "/Patient?identifier="
                + TokenClient.encode(MEMBER_ID_SYSTEM + "|" + memberId));
        try {
            HttpResponse<String> response = TokenClient.HTTP.send(HttpRequest.newBuilder(search).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("The gateway refused the operator's lookup: HTTP " + response.statusCode() + " " + response.body());
            }
            JsonNode entries = TokenClient.JSON.readTree(response.body()).path("entry");
            if (entries.size() > 1) {
                throw new IllegalStateException("The gateway holds " + entries.size() + " Patients with member ID " + memberId);
            }
            return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(0).path("resource").path("id").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("The gateway at " + fhirBase + " cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
