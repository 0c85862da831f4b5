package jp.clinsgateway.consent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SMART App Launch resource scopes a token was granted, v2 ({@code patient/Observation.rs?category=laboratory})
 * and v1 ({@code patient/*.read}, {@code system/*.write}) alike: what a caller may do with which
 * resource type. Scopes that are not resource scopes ({@code openid}, {@code launch/patient},
 * {@code purpose/ETREAT}) grant nothing here. Who the caller is decides whose data; the scopes
 * decide which kinds of access, so {@code patient/}, {@code user/} and {@code system/} read alike.
 */
public final class SmartScopes {

    /** An interaction a scope grants: create, read, update, delete, search. */
    public enum Letter {
        CREATE('c'), READ('r'), UPDATE('u'), DELETE('d'), SEARCH('s');

        private final char letter;

        Letter(char letter) {
            this.letter = letter;
        }

        /** Its letter in a SMART v2 scope, e.g. {@code c} for create. */
        public char letter() {
            return letter;
        }
    }

    /** One resource scope: a type (or {@code *}), its interactions, and search parameters that constrain it. */
    public record Grant(String resourceType, String interactions, Map<String, String> constraints) {
        boolean covers(String type, Letter interaction) {
            return (resourceType.equals("*") || resourceType.equals(type)) && interactions.indexOf(interaction.letter) >= 0;
        }
    }

    /** The development header's callers and internal calls: everything. */
    public static final SmartScopes ALL = new SmartScopes(List.of(new Grant("*", "cruds", Map.of())));

    private final List<Grant> grants;

    private SmartScopes(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    /** Parses the space-separated {@code scope} of a token. */
    public static SmartScopes parse(String scope) {
        List<Grant> grants = new ArrayList<>();
        for (String one : scope == null ? new String[0] : scope.trim().split("\\s+")) {
            grant(one).ifPresent(grants::add);
        }
        return new SmartScopes(grants);
    }

    public List<Grant> grants() {
        return grants;
    }

    /**
     * The constraints under which {@code interaction} on {@code type} is allowed: empty when no scope
     * allows it; a list containing an empty map when some scope allows it without constraint.
     */
    public List<Map<String, String>> allowing(String type, Letter interaction) {
        return grants.stream().filter(g -> g.covers(type, interaction)).map(Grant::constraints).toList();
    }

    public boolean permitsAny(Letter interaction) {
        return grants.stream().anyMatch(g -> g.interactions().indexOf(interaction.letter) >= 0);
    }

    private static Optional<Grant> grant(String scope) {
        int slash = scope.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String context = scope.substring(0, slash);
        if (!context.equals("patient") && !context.equals("user") && !context.equals("system")) {
            return Optional.empty();
        }
        String rest = scope.substring(slash + 1);
        String query = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        int dot = rest.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String type = rest.substring(0, dot);
        String interactions = interactions(rest.substring(dot + 1));
        if (interactions == null) {
            return Optional.empty();
        }
        return Optional.of(new Grant(type, interactions, constraints(query)));
    }

    /** v2 letters in their canonical order, or the v1 words read as their v2 equivalents. */
    private static String interactions(String permissions) {
        switch (permissions) {
            case "read":
                return "rs";
            case "write":
                return "cud";
            case "*":
                return "cruds";
            default:
                if (permissions.isEmpty() || !inOrder(permissions)) {
                    return null;
                }
                return permissions;
        }
    }

    /** SMART v2 requires the letters c, r, u, d, s in that order, each at most once. */
    private static boolean inOrder(String letters) {
        int last = -1;
        for (char c : letters.toCharArray()) {
            int position = "cruds".indexOf(c);
            if (position <= last) {
                return false;
            }
            last = position;
        }
        return true;
    }

    private static Map<String, String> constraints(String query) {
        Map<String, String> constraints = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            Arrays.stream(query.split("&")).map(p -> p.split("=", 2))
                    .forEach(p -> constraints.put(p[0], p.length > 1 ? p[1] : ""));
        }
        return Map.copyOf(constraints);
    }
}
