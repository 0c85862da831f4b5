package jp.clinsgateway.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jp.clinsgateway.server.storage.SnapshotWrites;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Every FHIR request runs in HAPI's meta snapshot mode, whatever the client sends: labels written
 * during a request replace the stored ones instead of being merged with them (see {@link SnapshotWrites}).
 */
@Component
public class MetaSnapshotMode extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(request.getContextPath() + "/fhir");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return SnapshotWrites.header().equalsIgnoreCase(name) ? SnapshotWrites.MODE : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return SnapshotWrites.header().equalsIgnoreCase(name) ? Collections.enumeration(java.util.List.of(SnapshotWrites.MODE))
                        : super.getHeaders(name);
            }
        }, response);
    }
}
