package jp.clinsgateway.server.retention;

import jp.clinsgateway.consent.ShareCategory;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.Optional;

/**
 * When a stored record expires: a period (its category's, the long-term one for an item the doctor
 * flagged {@code LTS}, or for a fetched referral letter the after-fetch one) counted in Japan's
 * calendar from the date the record's rule names. No date, or no period: it does not expire.
 */
final class RetentionRule {

    /** Periods are calendar periods in Japan (5 years from 2021-02-03 is 2026-02-03 in Tokyo). */
    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    private final RetentionProperties periods;

    RetentionRule(RetentionProperties periods) {
        this.periods = periods;
    }

    /** The period of a record of this category; an LTS-flagged item takes the long-term one. */
    Optional<Period> periodOf(ShareCategory category, boolean longTermStorage) {
        if (longTermStorage && category.kind() == ShareCategory.Kind.ITEM) {
            return Optional.ofNullable(periods.longTermStorage());
        }
        return periods.periodOf(category);
    }

    /** A referral letter: after its addressee fetched it, the after-fetch period counts from that fetch. */
    Optional<Period> letterPeriod(boolean fetched) {
        return Optional.ofNullable(fetched ? periods.referralLetterAfterFetch() : periods.referralLetter());
    }

    static boolean expired(Optional<Instant> from, Optional<Period> period, Instant now) {
        if (from.isEmpty() || period.isEmpty()) {
            return false;
        }
        return !from.get().atZone(JAPAN).plus(period.get()).toInstant().isAfter(now);
    }

    /** A record counted from before this instant has expired: the bound of the search for candidates. */
    static Instant cutoff(Instant now, Period period) {
        return now.atZone(JAPAN).minus(period).toInstant();
    }
}
