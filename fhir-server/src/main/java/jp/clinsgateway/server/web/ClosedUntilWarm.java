package jp.clinsgateway.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.clinsgateway.server.health.WarmUp;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The web server listens while the gateway warms up (so a load balancer sees "not ready" at
 * {@code /readyz} rather than a refused connection), but the FHIR API answers nothing until it is
 * warm: 503 with {@code Retry-After}, as HTTP says for a server that is temporarily unavailable.
 */
@Configuration
public class ClosedUntilWarm {

    static final String RETRY_AFTER_SECONDS = "10";

    @Bean
    public FilterRegistrationBean<OncePerRequestFilter> closedUntilWarmFilter(WarmUp warmUp) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (warmUp.isWarm()) {
                    chain.doFilter(request, response);
                    return;
                }
                response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
                ContainerOutcome.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, IssueType.TRANSIENT,
                        "The gateway is starting up; try again in " + RETRY_AFTER_SECONDS + " seconds");
            }
        });
        registration.addUrlPatterns("/fhir/*", "/fhir");
        registration.setName("closedUntilWarm");
        return registration;
    }
}
