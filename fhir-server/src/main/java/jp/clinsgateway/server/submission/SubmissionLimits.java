package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.input.ResourceLimits;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * How much one submission may hold, checked right after parsing, before the validator or the
 * database does any work: at most {@value #MAX_ITEMS} information items, and every element within
 * {@link ResourceLimits}.
 *
 * <p>Why 1000: a JP-CLINS report is one institution's items of one type for one patient. The
 * largest realistic one, a diagnoses report with every active diagnosis and five years of ended
 * ones, or a year of lab results, holds a few hundred; 1000 leaves room for any real chart while a
 * Bundle that would hold a thread and a transaction for minutes is refused at once (422, too costly).
 */
final class SubmissionLimits {

    /** Information items per Bundle (entries besides the Patient or the Composition). */
    static final int MAX_ITEMS = 1000;

    private SubmissionLimits() {
    }

    static void check(Bundle bundle) {
        int items = Math.max(bundle.getEntry().size() - 1, 0);
        if (items > MAX_ITEMS) {
            throw Rejection.unprocessable(IssueType.TOOCOSTLY, "Bundle.entry", "A submission holds at most " + MAX_ITEMS
                    + " items besides its Patient; this one holds " + items + ". Send the items in several reports");
        }
        ResourceLimits.check(bundle, "Bundle");
    }
}
