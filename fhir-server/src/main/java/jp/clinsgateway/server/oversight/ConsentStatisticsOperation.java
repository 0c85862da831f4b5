package jp.clinsgateway.server.oversight;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET [base]/$consent-statistics?month=2026-11} (operator only, by the access policy): one
 * month's consent figures as a summary {@code MeasureReport}: one group per measure (code system
 * {@code consent-measure}: granted, refused, revoked) with its count, stratified by {@code scope}
 * (comprehensive / item-by-item) and by {@code category} (the share categories an item-by-item
 * consent names). Counts only: no patient, institution or consent is named. Defined in the
 * implementation guide as OperationDefinition {@code consent-statistics}.
 */
@Component
public class ConsentStatisticsOperation {

    public static final String MEASURE = GatewayCanonical.BASE + "/Measure/consent-statistics";
    public static final String MEASURE_CODES = GatewayCanonical.BASE + "/CodeSystem/consent-measure";

    private final ConsentStatistics statistics;
    private final Clock clock;

    public ConsentStatisticsOperation(ConsentStatistics statistics, Clock clock) {
        this.statistics = statistics;
        this.clock = clock;
    }

    @Operation(name = "$consent-statistics", idempotent = true, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/consent-statistics")
    public MeasureReport statistics(@OperationParam(name = "month", min = 1, max = 1) StringType month) {
        YearMonth asked;
        try {
            asked = YearMonth.parse(month == null || month.getValue() == null ? "" : month.getValue().strip());
        } catch (DateTimeParseException e) {
            throw Rejection.badRequest("month", "Name the month as YYYY-MM, e.g. 2026-11");
        }
        MeasureReport report = new MeasureReport();
        report.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
        report.setType(MeasureReport.MeasureReportType.SUMMARY);
        report.setMeasure(MEASURE);
        report.setDate(Date.from(clock.instant()));
        report.getPeriod().setStart(Date.from(ConsentStatistics.start(asked))).setEnd(Date.from(ConsentStatistics.start(asked.plusMonths(1)).minusMillis(1)));
        for (Map.Entry<ConsentStatistics.Measure, ConsentStatistics.Counts> measure : statistics.of(asked).entrySet()) {
            ConsentStatistics.Counts counts = measure.getValue();
            MeasureReport.MeasureReportGroupComponent group = report.addGroup()
                    .setCode(concept(MEASURE_CODES, measure.getKey().name().toLowerCase(Locale.ROOT)));
            group.addPopulation().setCode(concept("http://terminology.hl7.org/CodeSystem/measure-population", "initial-population"))
                    .setCount(counts.total);
            MeasureReport.MeasureReportGroupStratifierComponent scope = group.addStratifier();
            scope.addCode(concept(MEASURE_CODES, "scope"));
            stratum(scope, "comprehensive", counts.comprehensive);
            stratum(scope, "item-by-item", counts.itemByItem);
            MeasureReport.MeasureReportGroupStratifierComponent byCategory = group.addStratifier();
            byCategory.addCode(concept(MEASURE_CODES, "category"));
            for (ShareCategory category : ShareCategory.values()) {
                MeasureReport.StratifierGroupComponent stratum = byCategory.addStratum()
                        .setValue(concept(GatewayCanonical.SHARE_CATEGORY, category.code()));
                stratum.addPopulation().setCode(concept("http://terminology.hl7.org/CodeSystem/measure-population", "initial-population"))
                        .setCount(counts.perCategory.getOrDefault(category, 0));
            }
        }
        return report;
    }

    private static void stratum(MeasureReport.MeasureReportGroupStratifierComponent stratifier, String code, int count) {
        stratifier.addStratum().setValue(concept(MEASURE_CODES, code)).addPopulation()
                .setCode(concept("http://terminology.hl7.org/CodeSystem/measure-population", "initial-population")).setCount(count);
    }

    private static CodeableConcept concept(String system, String code) {
        return new CodeableConcept(new Coding(system, code, null));
    }
}
