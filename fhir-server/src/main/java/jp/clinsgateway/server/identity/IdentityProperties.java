package jp.clinsgateway.server.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param developmentHeaderEnabled trust the {@value DevelopmentIdentityHeader#HEADER} request
 *                                 header as the caller's institution code. For development and
 *                                 tests only, until token authentication replaces it.
 */
@ConfigurationProperties(prefix = "gateway.identity")
public record IdentityProperties(@DefaultValue("true") boolean developmentHeaderEnabled) {
}
