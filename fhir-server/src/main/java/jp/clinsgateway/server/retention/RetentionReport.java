package jp.clinsgateway.server.retention;

import jp.clinsgateway.consent.ShareCategory;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one retention run removed, or (a dry run) would remove: per category, how many records; and
 * which resources (references only, never their content).
 *
 * @param dryRun   nothing was changed
 * @param asOf     the moment records were judged at
 * @param counts   per category, the records removed (or that would be)
 * @param removed  the resources removed (or that would be)
 */
public record RetentionReport(boolean dryRun, Instant asOf, Map<ShareCategory, Integer> counts, List<String> removed) {

    public RetentionReport {
        EnumMap<ShareCategory, Integer> all = new EnumMap<>(ShareCategory.class);
        for (ShareCategory category : ShareCategory.values()) {
            all.put(category, counts.getOrDefault(category, 0));
        }
        counts = java.util.Collections.unmodifiableMap(all);
        removed = List.copyOf(removed);
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
