package jp.clinsgateway.server.oversight;

import jp.clinsgateway.consent.Reason;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Finds unusual access in a stretch of the access log, from the entries alone (pure: no database):
 * <ul>
 *   <li>{@code many-patients}: an institution touching at least {@code manyPatients} different patients
 *       within any {@code manyPatientsWithin} (served or refused: a scan is a scan);</li>
 *   <li>{@code no-consent-or-relation}: an institution's reads and searches of patients for which no category
 *       was permitted because no consent covers it or it has no relation with the patient (the rule's sentence
 *       in the entry: {@link Reason#NO_CONSENT}, {@link Reason#UNRELATED_INSTITUTION});</li>
 *   <li>{@code refusal-burst}: at least {@code refusals} refused accesses by one caller within {@code refusalsWithin};</li>
 *   <li>{@code emergency-read}: every read under the emergency purpose, per institution.</li>
 * </ul>
 */
final class AccessSignals {

    private static final List<String> NO_RELATION = List.of(Reason.NO_CONSENT.explanation(), Reason.UNRELATED_INSTITUTION.explanation());

    private final OversightProperties thresholds;

    AccessSignals(OversightProperties thresholds) {
        this.thresholds = thresholds;
    }

    List<AccessSignal> in(List<LoggedAccess> log) {
        List<LoggedAccess> entries = log.stream().sorted(Comparator.comparing(LoggedAccess::recorded)).toList();
        List<AccessSignal> signals = new ArrayList<>();
        for (Map.Entry<String, List<LoggedAccess>> caller : byCaller(entries, e -> e.institution() && !e.patient().isEmpty()).entrySet()) {
            signals.addAll(bursts(AccessSignal.Kind.MANY_PATIENTS, caller.getKey(), caller.getValue(), thresholds.manyPatientsWithin(),
                    thresholds.manyPatients(), window -> patientsOf(window).size(),
                    "%d different patients within %s".formatted(thresholds.manyPatients(), thresholds.manyPatientsWithin())));
        }
        for (Map.Entry<String, List<LoggedAccess>> caller : byCaller(entries, AccessSignals::withoutConsentOrRelation).entrySet()) {
            Set<String> patients = patientsOf(caller.getValue());
            if (patients.size() >= thresholds.unrelatedPatients()) {
                signals.add(signal(AccessSignal.Kind.NO_CONSENT_OR_RELATION, caller.getKey(), caller.getValue(),
                        patients.size() + " patients reached with no consent or relation"));
            }
        }
        for (Map.Entry<String, List<LoggedAccess>> caller : byCaller(entries, LoggedAccess::refused).entrySet()) {
            signals.addAll(bursts(AccessSignal.Kind.REFUSAL_BURST, caller.getKey(), caller.getValue(), thresholds.refusalsWithin(),
                    thresholds.refusals(), java.util.Collection::size,
                    "%d refused accesses within %s".formatted(thresholds.refusals(), thresholds.refusalsWithin())));
        }
        for (Map.Entry<String, List<LoggedAccess>> caller : byCaller(entries, LoggedAccess::emergency).entrySet()) {
            signals.add(signal(AccessSignal.Kind.EMERGENCY_READ, caller.getKey(), caller.getValue(),
                    caller.getValue().size() + " emergency accesses without consent, to be reviewed"));
        }
        return signals;
    }

    private static boolean withoutConsentOrRelation(LoggedAccess entry) {
        return entry.institution() && !entry.patient().isEmpty() && !entry.emergency()
                && NO_RELATION.stream().anyMatch(entry.explanation()::contains)
                && !entry.explanation().contains(": permit");
    }

    /**
     * The stretches in which the entries of one caller inside a sliding window measure at least the
     * threshold: one signal per stretch, with every entry of it as evidence.
     */
    private static List<AccessSignal> bursts(AccessSignal.Kind kind, String caller, List<LoggedAccess> entries, Duration within,
                                             int threshold, ToIntFunction<Deque<LoggedAccess>> measure, String rule) {
        List<AccessSignal> found = new ArrayList<>();
        Deque<LoggedAccess> window = new ArrayDeque<>();
        List<LoggedAccess> stretch = null;
        for (LoggedAccess entry : entries) {
            window.addLast(entry);
            while (window.getFirst().recorded().isBefore(entry.recorded().minus(within))) {
                window.removeFirst();
            }
            if (measure.applyAsInt(window) >= threshold) {
                if (stretch == null) {
                    stretch = new ArrayList<>(window);
                } else {
                    stretch.add(entry);
                }
            } else if (stretch != null) {
                found.add(signal(kind, caller, stretch, rule));
                stretch = null;
            }
        }
        if (stretch != null) {
            found.add(signal(kind, caller, stretch, rule));
        }
        return found;
    }

    private static AccessSignal signal(AccessSignal.Kind kind, String caller, List<LoggedAccess> evidence, String description) {
        return new AccessSignal(kind, caller, evidence.get(0).recorded(), evidence.get(evidence.size() - 1).recorded(),
                patientsOf(evidence).size(), evidence.stream().map(LoggedAccess::entry).toList(), description);
    }

    private static Set<String> patientsOf(java.util.Collection<LoggedAccess> entries) {
        return entries.stream().map(LoggedAccess::patient).filter(p -> !p.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Map<String, List<LoggedAccess>> byCaller(List<LoggedAccess> entries, Predicate<LoggedAccess> which) {
        return entries.stream().filter(which).collect(Collectors.groupingBy(LoggedAccess::caller, LinkedHashMap::new, Collectors.toList()));
    }
}
