package jp.clinsgateway.consent;

import java.util.Optional;
import java.util.Set;

/**
 * What the engine needs to know about one stored record: fixed when the record is written, and
 * written again when its author cancels or restores it.
 *
 * @param category             which of the nine categories it is
 * @param authorInstitution    the submitting institution's code
 * @param flags                the sharing flags its author set
 * @param addressedInstitution for a referral letter, the institution it is addressed to
 * @param cancelled            its author cancelled it (取消): a document no reader but its author sees
 * @param fetchedByAddressee   a referral letter its addressee has already fetched: it stays with the addressee
 *                             even when cancelled, as in the national service ("once fetched it stays fetched")
 * @param checkup              for a checkup report, how it reaches the insurer (empty: it reaches no insurer)
 */
public record RecordFacts(ShareCategory category, String authorInstitution, Set<ItemFlag> flags,
                          Optional<String> addressedInstitution, boolean cancelled, boolean fetchedByAddressee,
                          Optional<CheckupDelivery> checkup) {

    public RecordFacts {
        flags = Set.copyOf(flags);
    }

    public RecordFacts(ShareCategory category, String authorInstitution, Set<ItemFlag> flags,
                       Optional<String> addressedInstitution, boolean cancelled, boolean fetchedByAddressee) {
        this(category, authorInstitution, flags, addressedInstitution, cancelled, fetchedByAddressee, Optional.empty());
    }

    /** A record as submitted: current, and (for a letter) not fetched yet. */
    public RecordFacts(ShareCategory category, String authorInstitution, Set<ItemFlag> flags, Optional<String> addressedInstitution) {
        this(category, authorInstitution, flags, addressedInstitution, false, false);
    }

    /** The same record, cancelled by its author (or restored, with {@code false}). */
    public RecordFacts withCancelled(boolean isCancelled, boolean isFetchedByAddressee) {
        return new RecordFacts(category, authorInstitution, flags, addressedInstitution, isCancelled, isFetchedByAddressee, checkup);
    }

    /** The same checkup report, with how it reaches the insurer. */
    public RecordFacts withCheckup(CheckupDelivery delivery) {
        return new RecordFacts(category, authorInstitution, flags, addressedInstitution, cancelled, fetchedByAddressee, Optional.of(delivery));
    }

    public static RecordFacts of(ShareCategory category, String authorInstitution, ItemFlag... flags) {
        return new RecordFacts(category, authorInstitution, Set.of(flags), Optional.empty());
    }

    public static RecordFacts referralLetter(String authorInstitution, String addressedInstitution) {
        return new RecordFacts(ShareCategory.REFERRAL_LETTER, authorInstitution, Set.of(), Optional.of(addressedInstitution));
    }

    public boolean has(ItemFlag flag) {
        return flags.contains(flag);
    }
}
