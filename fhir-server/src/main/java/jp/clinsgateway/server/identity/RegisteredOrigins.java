package jp.clinsgateway.server.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * CORS for the token and introspection endpoints (SMART App Launch 2.2, "Considerations for CORS support": the token
 * endpoint is open to a client's registered origins): a browser app served from an origin registered in the realm
 * ({@code gateway.identity.web-origins}, the portal client's web origins) may read the answers; any other origin gets no
 * {@code Access-Control-Allow-*} header, so the browser keeps the answer from it. The request itself is still served:
 * CORS protects browsers' users, and servers calling these endpoints send no origin worth trusting.
 */
final class RegisteredOrigins extends OncePerRequestFilter {

    private final CorsConfiguration registered = new CorsConfiguration();

    RegisteredOrigins(IdentityProperties properties) {
        properties.webOrigins().stream().map(String::strip).filter(o -> !o.isEmpty()).forEach(registered::addAllowedOrigin);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader("Origin");
        response.addHeader("Vary", "Origin");
        boolean allowed = origin != null && registered.checkOrigin(origin) != null;
        if (allowed) {
            response.setHeader("Access-Control-Allow-Origin", origin);
        }
        if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
            if (allowed) {
                response.setHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
                response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept");
                response.setHeader("Access-Control-Max-Age", "600");
            }
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        chain.doFilter(request, response);
    }
}
