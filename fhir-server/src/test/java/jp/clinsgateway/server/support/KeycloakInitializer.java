package jp.clinsgateway.server.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points the gateway at the test JVM's Keycloak realm as its only authorization server, with its own client's secret
 * there (introspection) and the portal's other registered origin (CORS).
 */
public class KeycloakInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("gateway.identity.issuer=" + TestKeycloak.issuer(),
                "gateway.identity.audience=" + TestKeycloak.REALM.audience(),
                "gateway.identity.introspection-secret=" + TestKeycloak.REALM.gatewaySecret(),
                "gateway.identity.web-origins=" + TestKeycloak.PORTAL_ELSEWHERE).applyTo(context);
    }
}
