package jp.clinsgateway.server.identity;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The gateway's FHIR base URL, which an authorization request's {@code aud} must name (SMART App Launch 2.x: the
 * server validates {@code aud} against its own base, so an app tricked into asking for another server's access gets
 * nothing here). Compared as URLs: scheme and host in any case, the default port written or not, no trailing slash.
 */
record FhirBase(String url) {

    static final String PATH = "/fhir";

    /** The configured base, or the base as this request reached the gateway (proxies: {@code X-Forwarded-*}, see README). */
    static FhirBase of(HttpServletRequest request, IdentityProperties properties) {
        return new FhirBase(properties.configuredFhirBase().orElseGet(() -> SmartEndpoints.gatewayRoot(request) + PATH));
    }

    boolean isNamedBy(String aud) {
        return aud != null && normalised(aud).filter(a -> a.equals(normalised(url).orElse(null))).isPresent();
    }

    private static Optional<String> normalised(String value) {
        try {
            URI uri = new URI(value.strip());
            if (uri.getScheme() == null || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean usual = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("/+$", "");
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (usual ? "" : ":" + port) + path);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
