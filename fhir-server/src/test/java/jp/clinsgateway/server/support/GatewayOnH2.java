package jp.clinsgateway.server.support;

import jp.clinsgateway.server.GatewayApplication;
import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The gateway as the run command starts it: embedded H2 file database (fresh per test run),
 * demo data loaded, served on a random port.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:file:./target/test-h2/${random.uuid}/gateway",
                "gateway.startup.demo-data=true",
                "gateway.identity.development-header-enabled=true",
                "gateway.web.max-request-size=2MB"})
public @interface GatewayOnH2 {
}
