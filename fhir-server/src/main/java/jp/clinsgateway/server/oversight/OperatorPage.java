package jp.clinsgateway.server.oversight;

import jakarta.servlet.Filter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import jp.clinsgateway.server.web.PageSecurityHeaders;

/**
 * Serves the operator's oversight page at {@code /operator/} (static files in {@code static/operator/}).
 * The page holds nothing itself: it shows {@code $access-signals} and {@code $consent-statistics} read
 * with the operator's own bearer token, which the access policy checks like any other; the development
 * identity header is never sent by it. Confined to this origin's scripts and calls.
 */
@Configuration
public class OperatorPage implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/operator", "/operator/");
        registry.addViewController("/operator/").setViewName("forward:/operator/index.html");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/operator/**").addResourceLocations("classpath:/static/operator/").setCacheControl(CacheControl.noCache());
    }

    @Bean
    public FilterRegistrationBean<Filter> operatorPageSecurityHeaders() {
        return PageSecurityHeaders.under("/operator", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                + "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    }
}
