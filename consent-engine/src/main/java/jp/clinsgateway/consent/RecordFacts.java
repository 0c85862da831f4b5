package jp.clinsgateway.consent;

import java.util.Optional;
import java.util.Set;

/**
 * What the engine needs to know about one stored record: fixed when the record is submitted.
 *
 * @param category             which of the nine categories it is
 * @param authorInstitution    the submitting institution's code
 * @param flags                the sharing flags its author set
 * @param addressedInstitution for a referral letter, the institution it is addressed to
 */
public record RecordFacts(ShareCategory category, String authorInstitution, Set<ItemFlag> flags,
                          Optional<String> addressedInstitution) {

    public RecordFacts {
        flags = Set.copyOf(flags);
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
