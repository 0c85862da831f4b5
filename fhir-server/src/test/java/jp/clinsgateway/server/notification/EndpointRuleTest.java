package jp.clinsgateway.server.notification;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a rest-hook may point, outside development and in it (the endpoint is a request the insurer makes us send). */
class EndpointRuleTest {

    private static final String INSURER = "06139991";

    private static NotificationProperties settings(boolean development, Map<String, List<String>> hosts) {
        return new NotificationProperties(true, hosts, development, Duration.ofSeconds(2), Duration.ofSeconds(5), 5,
                Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMinutes(1), 10);
    }

    /** Names resolve as an attacker might have arranged: a registered-looking name pointing inside. */
    private static InetAddress[] resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "hooks.sakura-kenpo.example.jp" -> new InetAddress[]{InetAddress.getByName("203.0.113.10")};
            case "rebound.sakura-kenpo.example.jp" -> new InetAddress[]{InetAddress.getByName("203.0.113.11"), InetAddress.getByName("10.1.2.3")};
            case "metadata.sakura-kenpo.example.jp" -> new InetAddress[]{InetAddress.getByName("169.254.169.254")};
            default -> InetAddress.getAllByName(host);
        };
    }

    private static final Map<String, List<String>> REGISTERED = Map.of(INSURER,
            List.of("hooks.sakura-kenpo.example.jp", "rebound.sakura-kenpo.example.jp", "metadata.sakura-kenpo.example.jp", "127.0.0.1"));

    @Test
    void outsideDevelopmentOnlyHttpsToARegisteredHostOnAPublicAddressIsAllowed() {
        EndpointRule rule = new EndpointRule(settings(false, REGISTERED), EndpointRuleTest::resolve);
        assertTrue(rule.refusal(INSURER, "https://hooks.sakura-kenpo.example.jp/clins").isEmpty());
        assertTrue(rule.refusal(INSURER, "http://hooks.sakura-kenpo.example.jp/clins").isPresent(), "http");
        assertTrue(rule.refusal(INSURER, "https://rebound.sakura-kenpo.example.jp/clins").isPresent(), "one address inside");
        assertTrue(rule.refusal(INSURER, "https://metadata.sakura-kenpo.example.jp/").isPresent(), "cloud metadata");
        assertTrue(rule.refusal(INSURER, "https://127.0.0.1/clins").isPresent(), "loopback, even registered");
        assertTrue(rule.refusal(INSURER, "https://evil.example.com/").isPresent(), "a host not registered for it");
        assertTrue(rule.refusal("01130012", "https://hooks.sakura-kenpo.example.jp/clins").isPresent(),
                "another insurer without registered hosts");
    }

    @Test
    void inDevelopmentHttpToLoopbackIsAllowedButPrivateNetworksStayRefused() {
        EndpointRule rule = new EndpointRule(settings(true, Map.of()), EndpointRuleTest::resolve);
        assertTrue(rule.refusal(INSURER, "http://127.0.0.1:8089/hook").isEmpty());
        assertTrue(rule.refusal(INSURER, "http://[::1]:8089/hook").isEmpty());
        for (String inside : List.of("https://10.0.0.5/", "https://172.16.0.1/", "https://192.168.0.1/", "https://169.254.169.254/",
                "https://[fd00::1]/", "https://[fe80::1]/", "https://0.0.0.0/", "https://[::ffff:10.0.0.1]/", "https://100.64.0.1/",
                "https://224.0.0.1/")) {
            assertTrue(rule.refusal(INSURER, inside).isPresent(), inside);
        }
        assertEquals(List.of(true, true, true), List.of(rule.refusal(INSURER, "ftp://127.0.0.1/").isPresent(),
                rule.refusal(INSURER, "https://u:p@127.0.0.1/").isPresent(), rule.refusal(INSURER, "hook").isPresent()));
    }
}
