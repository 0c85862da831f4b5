package jp.clinsgateway.server.support;

import jp.clinsgateway.server.GatewayApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The gateway as deployed: callers identified only by tokens from a real Keycloak (the development
 * headers off, as by default), on a fresh database with the demo data. A one-second clock skew lets
 * a test see a token expire without waiting out the default half minute.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:file:./target/test-h2/${random.uuid}/gateway",
                "gateway.startup.demo-data=true",
                "gateway.identity.clock-skew=1s"})
@ContextConfiguration(initializers = KeycloakInitializer.class)
public @interface GatewayWithKeycloak {
}
