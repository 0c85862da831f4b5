package jp.clinsgateway.server.retention;

import jp.clinsgateway.consent.ShareCategory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Period;
import java.util.Optional;

/**
 * How long the gateway keeps each kind of record ({@code gateway.retention.*}). The defaults are the
 * periods the MHLW working group set for the national service (see README, "Retention"); a period
 * left empty means "kept until its author withdraws or cancels it".
 *
 * @param scheduled               run the job on {@link #cron} (every node may: one runs at a time)
 * @param cron                    when, in {@link #zone}
 * @param zone                    the time zone of {@link #cron}
 * @param diagnosis               after a diagnosis ended (Condition.abatementDateTime, 転帰日)
 * @param allergy                 after an allergy was recorded as no longer active
 * @param contraindication        after a drug contraindication was recorded as no longer active
 * @param infection               after the specimen of an infection test was taken (Observation.effective)
 * @param labResult               after the specimen of a lab result was taken (Observation.effective)
 * @param prescription            after the prescription was issued (MedicationRequest.authoredOn)
 * @param prescriptionsKept       per patient, the newest prescriptions kept however old
 * @param checkupReport           after the checkup report's date
 * @param referralLetterAfterFetch after the addressee first fetched the letter
 * @param referralLetter          after an unfetched letter's date; empty: kept until fetched or cancelled
 * @param dischargeSummary        after the summary's date; empty: kept (no national period is published)
 * @param longTermStorage         for items the doctor flagged {@code LTS} (長期保存): empty, kept until withdrawn
 */
@ConfigurationProperties(prefix = "gateway.retention")
public record RetentionProperties(@DefaultValue("true") boolean scheduled,
                                  @DefaultValue("0 30 3 * * *") String cron,
                                  @DefaultValue("Asia/Tokyo") String zone,
                                  @DefaultValue("P5Y") Period diagnosis,
                                  @DefaultValue("P5Y") Period allergy,
                                  @DefaultValue("P5Y") Period contraindication,
                                  @DefaultValue("P5Y") Period infection,
                                  @DefaultValue("P1Y") Period labResult,
                                  @DefaultValue("P100D") Period prescription,
                                  @DefaultValue("3") int prescriptionsKept,
                                  @DefaultValue("P5Y") Period checkupReport,
                                  @DefaultValue("P7D") Period referralLetterAfterFetch,
                                  Period referralLetter,
                                  Period dischargeSummary,
                                  Period longTermStorage) {

    /** The period of a category; empty when records of it do not expire. */
    public Optional<Period> periodOf(ShareCategory category) {
        return Optional.ofNullable(switch (category) {
            case DIAGNOSIS -> diagnosis;
            case ALLERGY -> allergy;
            case CONTRAINDICATION -> contraindication;
            case INFECTION -> infection;
            case LAB_RESULT -> labResult;
            case PRESCRIPTION -> prescription;
            case CHECKUP_REPORT -> checkupReport;
            case REFERRAL_LETTER -> referralLetter;
            case DISCHARGE_SUMMARY -> dischargeSummary;
        });
    }
}
