package jp.clinsgateway.server.portal;

import jakarta.servlet.Filter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import jp.clinsgateway.server.web.PageSecurityHeaders;

import java.time.Duration;

/**
 * Serves the patient portal (module {@code portal}, built into {@code META-INF/resources/portal/}) at
 * {@code /portal/}: its page always fresh, its hashed assets (script, styles, the name font) cached for good,
 * and the page confined to this origin's scripts and calls (the sign-in itself is a navigation to Keycloak).
 */
@Configuration
public class PortalPages implements WebMvcConfigurer {

    private static final String FILES = "classpath:/META-INF/resources/portal/";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/portal", "/portal/");
        registry.addViewController("/portal/").setViewName("forward:/portal/index.html");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/portal/assets/**").addResourceLocations(FILES + "assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        registry.addResourceHandler("/portal/**").addResourceLocations(FILES).setCacheControl(CacheControl.noCache());
    }

    @Bean
    public FilterRegistrationBean<Filter> portalSecurityHeaders() {
        return PageSecurityHeaders.under("/portal", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    }
}
