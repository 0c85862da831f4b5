package jp.clinsgateway.server.support;

import jp.clinsgateway.server.GatewayApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The gateway on a real PostgreSQL server, as in production, served on a random port. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"gateway.startup.demo-data=false", "gateway.identity.development-header-enabled=true",
                "gateway.web.max-request-size=2MB"})
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
public @interface GatewayOnPostgres {
}
