package jp.clinsgateway.consent;

/**
 * What the engine knows about a checkup report for its delivery to an insurer, fixed at submission.
 *
 * @param insurer               the insurer number in the insurance member ID the report was submitted
 *                              under: the national service keys checkups by insurer and insured person,
 *                              so the report belongs to that insurer even if the patient later changes insurer
 * @param kind                  who ran the checkup
 * @param agreedOnQuestionnaire the patient agreed on the checkup's questionnaire that the result goes to the insurer
 *                              (extension {@code insurer-provision-agreement}); decides only for comprehensive checkups
 */
public record CheckupDelivery(String insurer, CheckupKind kind, boolean agreedOnQuestionnaire) {

    /**
     * What the insurer receives, after JP-CLINS / MHLW: an insurer-run checkup whole; an employer-run checkup
     * only the 特定健診 items (高齢者の医療の確保に関する法律 第27条: the employer provides the items of the
     * specified health checkup); a comprehensive or other checkup nothing, unless the patient agreed on the
     * questionnaire, and then still only the 特定健診 items; an unclassified one nothing.
     */
    public InsurerView insurerView() {
        return switch (kind) {
            case INSURER_RUN -> InsurerView.WHOLE;
            case EMPLOYER_RUN -> InsurerView.SPECIFIED_ITEMS;
            case COMPREHENSIVE -> agreedOnQuestionnaire ? InsurerView.SPECIFIED_ITEMS : InsurerView.NOTHING;
            case UNCLASSIFIED -> InsurerView.NOTHING;
        };
    }
}
