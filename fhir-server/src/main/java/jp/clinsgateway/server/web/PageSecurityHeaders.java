package jp.clinsgateway.server.web;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * The headers every page the gateway serves to a browser carries (the patient portal, the operator's page):
 * its Content-Security-Policy confining it to this origin, no MIME sniffing, no referrer leaving it.
 */
public final class PageSecurityHeaders {

    private PageSecurityHeaders() {
    }

    /** A filter setting them under one page's path ({@code /portal}: {@code /portal} and {@code /portal/*}). */
    public static FilterRegistrationBean<Filter> under(String path, String contentSecurityPolicy) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
            HttpServletResponse http = (HttpServletResponse) response;
            http.setHeader("Content-Security-Policy", contentSecurityPolicy);
            http.setHeader("X-Content-Type-Options", "nosniff");
            http.setHeader("Referrer-Policy", "no-referrer");
            chain.doFilter(request, response);
        });
        registration.addUrlPatterns(path, path + "/*");
        return registration;
    }
}
