package jp.clinsgateway.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Set;

/**
 * The methods the server offers, anywhere under it: TRACE is refused (405; it would echo the
 * caller's headers, tokens included) and a method HTTP does not define for us, such as WebDAV's
 * PROPFIND, is not implemented (501), both as an OperationOutcome before any servlet sees them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class UnofferedMethods extends OncePerRequestFilter {

    static final String ALLOWED = "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS";
    private static final Set<String> OFFERED = Set.of(ALLOWED.split(", "));

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod();
        if (OFFERED.contains(method)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Allow", ALLOWED);
        if ("TRACE".equals(method)) {
            ContainerOutcome.write(response, 405, IssueType.NOTSUPPORTED, "TRACE is not offered by this server");
        } else {
            ContainerOutcome.write(response, 501, IssueType.NOTSUPPORTED, "The method " + method.replaceAll("[^A-Za-z-]", "?")
                    + " is not offered by this server; it offers " + ALLOWED);
        }
    }
}
