package jp.clinsgateway.server.notification;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a rest-hook may point. The endpoint is a request the insurer makes the gateway send from inside
 * its network (server-side request forgery), so: {@code https} only, to a host the operator registered for
 * that insurer, and never to an address of a private, loopback, link-local (cloud metadata), shared or
 * multicast range, whatever the name resolves to. In development, any host, and {@code http} to loopback.
 * Checked when the subscription is written and again before each delivery (names can be re-pointed).
 */
final class EndpointRule {

    /** Resolves a host name; the tests and the rule itself use the system resolver. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final NotificationProperties properties;
    private final Resolver resolver;

    EndpointRule(NotificationProperties properties) {
        this(properties, InetAddress::getAllByName);
    }

    EndpointRule(NotificationProperties properties, Resolver resolver) {
        this.properties = properties;
        this.resolver = resolver;
    }

    /** Why the insurer's endpoint is refused; empty when the gateway may send to it. */
    Optional<String> refusal(String insurer, String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint == null ? "" : endpoint);
        } catch (java.net.URISyntaxException e) {
            return Optional.of("The endpoint is not a URL");
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return Optional.of("The endpoint is an absolute https URL with a host, without user info or fragment");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean development = properties.developmentEndpoints();
        if (!scheme.equals("https") && !(scheme.equals("http") && development)) {
            return Optional.of("The endpoint is https (http only to a loopback address in development)");
        }
        List<String> registered = properties.endpointHosts().get(insurer);
        if (registered != null && registered.stream().noneMatch(h -> h.equalsIgnoreCase(host))) {
            return Optional.of("The endpoint's host is not one the operator registered for this insurer");
        }
        if (registered == null && !development) {
            return Optional.of("The operator has registered no endpoint host for this insurer (gateway.notification.endpoint-hosts)");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Optional.of("The endpoint's host does not resolve");
        }
        for (InetAddress address : addresses) {
            boolean loopback = address.isLoopbackAddress();
            if (loopback && development) {
                continue;
            }
            if (loopback || !isPublic(address)) {
                return Optional.of("The endpoint's host is a private, loopback, link-local or otherwise internal address");
            }
        }
        if (scheme.equals("http") && !java.util.Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress)) {
            return Optional.of("The endpoint is https (http only to a loopback address in development)");
        }
        return Optional.empty();
    }

    /** Whether an address is on the public internet: not any of the ranges a request must never reach from here. */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0                                       // 0.0.0.0/8 "this network"
                    && !(first == 100 && second >= 64 && second < 128) // 100.64.0.0/10 shared (carrier-grade NAT)
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24 protocol assignments
                    && !(first == 198 && (second == 18 || second == 19))    // 198.18.0.0/15 benchmarking
                    && first < 240;                                   // 240.0.0.0/4 reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local
            }
            boolean mappedV4 = java.util.stream.IntStream.range(0, 10).allMatch(i -> b[i] == 0) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            if (mappedV4) {
                try {
                    return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return (first & 0xe0) == 0x20; // only global unicast 2000::/3
        }
        return false;
    }
}
