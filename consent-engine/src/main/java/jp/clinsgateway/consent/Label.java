package jp.clinsgateway.consent;

/**
 * A fact about a stored record that a query can filter on. A record carries its labels from the
 * moment it is stored; a reader's {@link VisibleSet} is a set of labels; the reader sees a record
 * exactly when the two share a label. The server writes labels as indexed tags, so a search is
 * narrowed inside the database.
 */
public sealed interface Label {

    /** The record is of this category and may be shared (absent on UNDELIVERED records and on referral letters). */
    record Category(ShareCategory category) implements Label {
    }

    /** The record was submitted by this institution. */
    record Author(String institution) implements Label {
    }

    /** A referral letter addressed to this institution: referral letters carry this instead of their category. */
    record AddressedTo(String institution) implements Label {
    }

    /** The patient may read the record (absent on UNDELIVERED records and UNINFORMED diagnoses). */
    record PatientVisible() implements Label {
    }
}
