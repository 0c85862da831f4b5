package jp.clinsgateway.server.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points the gateway at the test JVM's Keycloak realm as its only authorization server. */
public class KeycloakInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("gateway.identity.issuer=" + TestKeycloak.issuer()).applyTo(context);
    }
}
