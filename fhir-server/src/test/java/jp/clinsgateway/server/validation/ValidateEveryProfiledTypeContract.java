package jp.clinsgateway.server.validation;

import jp.clinsgateway.server.support.DeclaredVersions;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.ProfiledExamples;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Collectors;

import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A vendor (or a conformance tester) checks each resource it will send with $validate. Runs on each database. */
abstract class ValidateEveryProfiledTypeContract extends GatewayTest {

    private static final String JSON = "application/fhir+json";

    @ParameterizedTest(name = "{0}/$validate judges a JAMI-style {0} against its JP profile")
    @ValueSource(strings = {"Patient", "Practitioner", "PractitionerRole", "Organization", "Encounter", "Specimen",
            "Composition", "Coverage", "DocumentReference", "Binary", "CarePlan", "Condition", "AllergyIntolerance",
            "Observation", "MedicationRequest"})
    void everyProfiledTypeIsJudgedAgainstItsJpProfile(String type) {
        Resource example = ProfiledExamples.ofType(type).orElseThrow(() -> new AssertionError("no example " + type));

        FhirHttp.Response response = validate(type, example);

        assertEquals(200, response.status(), response::toString);
        OperationOutcome outcome = response.outcome();
        assertFalse(response.body().contains("Unknown resource type"), response::toString);
        assertEquals(List.of(), errors(outcome), () -> type + " example: " + response);
        String profile = example.getMeta().getProfile().get(0).getValue();
        String name = profile.substring(profile.lastIndexOf('/') + 1);
        assertTrue(outcome.getIssue().stream().anyMatch(i -> i.getDiagnostics() != null && i.getDiagnostics().contains(name)),
                () -> "says it was judged against " + name + ": " + response);
    }

    @Test
    void aGenuineProfileErrorIsAnsweredWithItsElementPathAnd200() {
        Encounter encounter = (Encounter) ProfiledExamples.ofType("Encounter").orElseThrow();
        encounter.setStatus(null);

        FhirHttp.Response response = validate("Encounter", encounter);

        assertEquals(200, response.status(), "the validator's judgement, not a refusal: " + response);
        assertTrue(errors(response.outcome()).stream().anyMatch(i -> i.getExpression().stream()
                .anyMatch(e -> e.getValue().startsWith("Encounter"))), response::toString);
    }

    @Test
    void aVersionedProfileOfTodaysGuideIsJudgedAgainstTheHeldOneAndSaysSo() {
        Resource practitioner = DeclaredVersions.ofTodaysGuides(ProfiledExamples.ofType("Practitioner").orElseThrow());

        FhirHttp.Response response = validate("Practitioner", practitioner);

        assertEquals(200, response.status(), response::toString);
        assertEquals(List.of(), errors(response.outcome()), response::toString);
        OperationOutcomeIssueComponent note = response.outcome().getIssue().stream()
                .filter(i -> i.getSeverity() == IssueSeverity.INFORMATION && i.getExpression().stream()
                        .anyMatch(e -> e.getValue().equals("Practitioner.meta.profile[0]")))
                .findFirst().orElseThrow(() -> new AssertionError("no version note: " + response));
        assertTrue(note.getDiagnostics().contains("|1.11.0") && note.getDiagnostics().contains("JP-CLINS 1.5.2"), note.getDiagnostics());
    }

    @Test
    void theProfileParameterValidatesAgainstThatProfileVersionedOrNot() {
        Resource organization = ProfiledExamples.ofType("Organization").orElseThrow();
        organization.getMeta().getProfile().clear();
        Parameters asked = new Parameters();
        asked.addParameter().setName("resource").setResource(organization);
        asked.addParameter().setName("profile").setValue(new StringType(
                "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Organization_eCS|1.11.0"));

        FhirHttp.Response response = fhir.post("Organization/$validate", TOKYO_CENTRAL, encode(asked), JSON);

        assertEquals(200, response.status(), response::toString);
        assertTrue(response.outcome().getIssue().stream().anyMatch(i -> i.getDiagnostics() != null
                && i.getDiagnostics().contains("requested as JP_Organization_eCS|1.11.0")), response::toString);

        asked.getParameter().remove(1);
        asked.addParameter().setName("profile").setValue(new StringType(
                "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Organization_eCS|2.0.0"));
        FhirHttp.Response unknown = fhir.post("Organization/$validate", TOKYO_CENTRAL, encode(asked), JSON);
        assertEquals(200, unknown.status(), unknown::toString);
        assertTrue(errors(unknown.outcome()).stream().anyMatch(i -> i.getDiagnostics().contains("1.5.2 to 1.13.x")), unknown::toString);
    }

    @Test
    void aServedTypeTakesTheSameParametersAndJudgesTheResourceInThem() {
        Resource condition = DeclaredVersions.ofTodaysGuides(ProfiledExamples.ofType("Condition").orElseThrow());
        ((org.hl7.fhir.r4.model.Condition) condition).setCode(null);
        Parameters asked = new Parameters();
        asked.addParameter().setName("resource").setResource(condition);

        FhirHttp.Response response = fhir.post("Condition/$validate", TOKYO_CENTRAL, encode(asked), JSON);

        assertEquals(200, response.status(), response::toString);
        assertTrue(errors(response.outcome()).stream().anyMatch(i -> i.getExpression().stream()
                .anyMatch(e -> e.getValue().startsWith("Condition"))), response::toString);
        assertTrue(response.outcome().getIssue().stream().anyMatch(i -> i.getExpression().stream()
                .anyMatch(e -> e.getValue().equals("Condition.meta.profile[0]"))), "the version note: " + response);
    }

    @Test
    void modeDeleteSaysThereIsNothingToCheckAndCreateChecksTheContent() {
        Parameters delete = new Parameters();
        delete.addParameter().setName("mode").setValue(new CodeType("delete"));
        FhirHttp.Response deleted = fhir.post("Specimen/$validate", TOKYO_CENTRAL, encode(delete), JSON);
        assertEquals(200, deleted.status(), deleted::toString);
        assertTrue(deleted.outcome().getIssue().stream().anyMatch(i -> i.getDiagnostics().contains("nothing a delete could be checked against")),
                deleted::toString);

        Parameters create = new Parameters();
        create.addParameter().setName("resource").setResource(ProfiledExamples.ofType("Specimen").orElseThrow());
        create.addParameter().setName("mode").setValue(new CodeType("create"));
        FhirHttp.Response created = fhir.post("Specimen/$validate", TOKYO_CENTRAL, encode(create), JSON);
        assertEquals(200, created.status(), created::toString);
        assertEquals(List.of(), errors(created.outcome()), created::toString);
        assertTrue(created.outcome().getIssue().stream().anyMatch(i -> i.getDiagnostics().contains("mode=create")), created::toString);
    }

    @Test
    void onlyIdentifiedCallersMakeTheServerValidate() {
        String body = encode(ProfiledExamples.ofType("Practitioner").orElseThrow());
        assertRefused(401, fhir.post("Practitioner/$validate", null, body, JSON));
        assertEquals(200, fhir.post("Practitioner/$validate", TOKYO_CENTRAL, body, JSON).status());
    }

    @Test
    void aBodyThatIsNotFhirIsA400() {
        assertRefused(400, fhir.post("Coverage/$validate", TOKYO_CENTRAL, "{\"resourceType\":\"Coverage\",\"status\":", JSON));
    }

    @Test
    void theTypesGainNoReadSearchOrWrite() {
        FhirHttp tokyo = fhir.asInstitution(TOKYO_CENTRAL);
        for (String path : List.of("Practitioner/1", "Practitioner?name=x", "Organization?identifier=1311234567")) {
            int status = tokyo.get(path).status();
            assertTrue(status >= 400 && status < 500, path + " answered " + status);
        }
        FhirHttp.Response create = fhir.post("Practitioner", TOKYO_CENTRAL,
                encode(ProfiledExamples.ofType("Practitioner").orElseThrow()), JSON);
        assertTrue(create.status() >= 400 && create.status() < 500, create::toString);
    }

    @Test
    void theCapabilityStatementOffersOnlyValidateOnTheTypesTakenInsideBundles() {
        CapabilityStatement statement = fhir.get("metadata").resource(CapabilityStatement.class);
        CapabilityStatement.CapabilityStatementRestResourceComponent practitioner = statement.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("Practitioner")).findFirst()
                .orElseThrow(() -> new AssertionError("Practitioner is not listed"));
        assertEquals(List.of(), practitioner.getInteraction().stream().map(i -> i.getCode().toCode()).toList());
        assertEquals(List.of(), practitioner.getSearchParam().stream().map(p -> p.getName()).toList());
        assertEquals(List.of("validate"), practitioner.getOperation().stream().map(o -> o.getName()).toList());
    }

    private FhirHttp.Response validate(String type, Resource resource) {
        return fhir.post(type + "/$validate", TOKYO_CENTRAL, encode(resource), JSON);
    }

    private static String encode(Resource resource) {
        return FhirHttp.FHIR.newJsonParser().encodeResourceToString(resource);
    }

    private static List<OperationOutcomeIssueComponent> errors(OperationOutcome outcome) {
        return outcome.getIssue().stream()
                .filter(i -> i.getSeverity() == IssueSeverity.ERROR || i.getSeverity() == IssueSeverity.FATAL)
                .collect(Collectors.toList());
    }
}
