package jp.clinsgateway.server.storage;

import jp.clinsgateway.server.GatewayApplication;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The run command's embedded database keeps what was stored when the gateway stops and starts
 * again, and the demo data is loaded once, not on every start.
 */
class DataSurvivesRestartTest {

    private final String dataDir = "./target/test-h2/restart-" + UUID.randomUUID();

    @Test
    void submittedItemsAndTheDemoDataSurviveARestartOnce() {
        TestPatient patient = TestPatient.named("𠮷田", "葛\uDB40\uDD00子");
        String memberQuery = "Patient?identifier=" + URLEncoder.encode(
                "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID|" + patient.memberId(), StandardCharsets.UTF_8);
        int patientsBefore;
        try (ConfigurableApplicationContext gateway = start()) {
            FhirHttp fhir = new FhirHttp(port(gateway)).asInstitution(TOKYO_CENTRAL);
            FhirHttp.Response response = fhir.submit(TOKYO_CENTRAL,
                    ClinsBundleBuilder.diagnoses().forPatient(patient).withItems("S1").build());
            assertEquals(200, response.status(), response::toString);
            patientsBefore = fhir.get("Patient?_summary=count").resource(Bundle.class).getTotal();
        }
        try (ConfigurableApplicationContext gateway = start()) {
            FhirHttp fhir = new FhirHttp(port(gateway)).asInstitution(TOKYO_CENTRAL);
            Bundle found = fhir.get(memberQuery).resource(Bundle.class);
            assertEquals(1, found.getTotal());
            Patient stored = (Patient) found.getEntryFirstRep().getResource();
            assertEquals(patient.family(), stored.getNameFirstRep().getFamily());
            assertEquals(patient.given(), stored.getNameFirstRep().getGivenAsSingleString());
            String id = stored.getIdElement().toUnqualifiedVersionless().getValue();
            assertEquals(1, fhir.get("Condition?patient=" + id).resource(Bundle.class).getTotal());
            assertEquals(patientsBefore, fhir.get("Patient?_summary=count").resource(Bundle.class).getTotal(),
                    "the demo data is not loaded a second time");
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(GatewayApplication.class)
                .properties("GATEWAY_DATA_DIR=" + dataDir, "gateway.startup.demo-data=true")
                // Default properties rank below application.yaml (port 8080, header off): arguments rank above.
                .run("--server.port=0", "--management.server.port=0", "--gateway.identity.development-header-enabled=true");
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
