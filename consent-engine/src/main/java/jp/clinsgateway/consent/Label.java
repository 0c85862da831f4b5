package jp.clinsgateway.consent;

/**
 * A fact about a stored record that a query can filter on. A record carries its labels from the
 * moment it is stored; a reader's {@link VisibleSet} is a set of labels; the reader sees a record
 * exactly when the two share a label. The server writes labels as indexed tags, so a search is
 * narrowed inside the database.
 */
public sealed interface Label {

    /** The labels a record carries, from its facts: decided when it is written, replacing any it had. */
    static java.util.Set<Label> of(RecordFacts record) {
        java.util.Set<Label> labels = new java.util.HashSet<>();
        labels.add(new Author(record.authorInstitution()));
        if (record.cancelled()) {
            // Its author keeps it; a letter already fetched stays with its addressee; nobody else sees it.
            if (record.category() == ShareCategory.REFERRAL_LETTER && record.fetchedByAddressee() && !record.has(ItemFlag.UNDELIVERED)) {
                record.addressedInstitution().ifPresent(to -> labels.add(new AddressedTo(to)));
            }
            return labels;
        }
        if (!record.has(ItemFlag.UNDELIVERED)) {
            if (record.category() == ShareCategory.REFERRAL_LETTER) {
                record.addressedInstitution().ifPresent(to -> labels.add(new AddressedTo(to)));
            } else {
                labels.add(new Category(record.category()));
            }
            if (!record.has(ItemFlag.UNINFORMED)) {
                labels.add(new PatientVisible(record.category()));
            }
            if (record.category() == ShareCategory.CHECKUP_REPORT) {
                record.checkup().filter(c -> c.insurerView() != InsurerView.NOTHING)
                        .ifPresent(c -> labels.add(new InsurerDelivery(c.insurer(), c.insurerView())));
            }
        }
        return labels;
    }

    /** The record is of this category and may be shared (absent on UNDELIVERED records and on referral letters). */
    record Category(ShareCategory category) implements Label {
    }

    /** The record was submitted by this institution. */
    record Author(String institution) implements Label {
    }

    /** A referral letter addressed to this institution: referral letters carry this instead of their category. */
    record AddressedTo(String institution) implements Label {
    }

    /**
     * A checkup report this insurer receives, whole or as its 特定健診 items only (absent when the insurer
     * receives nothing of it). It names the insurer, so an insurer's search across its members is one
     * indexed OR-list, narrowed inside the query.
     */
    record InsurerDelivery(String insurer, InsurerView view) implements Label {
    }

    /**
     * The patient may read the record if the patient may read its category (absent on UNDELIVERED
     * records and UNINFORMED diagnoses). It names the category so that which categories the
     * patient reads stays a read-time rule (a deployment may widen it) without relabelling.
     */
    record PatientVisible(ShareCategory category) implements Label {
    }
}
