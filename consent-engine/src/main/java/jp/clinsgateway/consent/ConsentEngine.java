package jp.clinsgateway.consent;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides who reads which clinical record: facts in (the request, the record, the patient's
 * consents, the time), a {@link Decision} out. Pure: no I/O, no clock, no state beyond the
 * deployment's settings, so the same facts always give the same answer. The rest of the access
 * policy (who may ask what at all, patients, consents, the access log) is {@link AccessPolicy}'s,
 * which is the one entry point the server uses.
 *
 * <p>{@link #decide} answers for one record; {@link #visibleSet} answers for all of a patient's
 * records at once, as labels a query can filter on. For every record,
 * {@code decide(...).permits() == visibleSet(...).admits(labelsOf(record))}.
 */
public final class ConsentEngine {

    private final PolicySettings settings;

    public ConsentEngine(PolicySettings settings) {
        this.settings = settings;
    }

    /** @param emergencyAccessEnabled whether a deployment allows reads for emergency purpose without consent */
    public ConsentEngine(boolean emergencyAccessEnabled) {
        this(new PolicySettings(emergencyAccessEnabled, PolicySettings.DEFAULTS.patientReadsInstitutionalDocuments(),
                PolicySettings.DEFAULTS.consentProofRequired()));
    }

    /** Whether this request may read this record, and why. */
    public Decision decide(AccessRequest request, RecordFacts record, Collection<PatientConsent> consents, Instant now) {
        Requester requester = request.requester();
        if (requester instanceof Requester.Institution institution && institution.code().equals(record.authorInstitution())) {
            return Decision.by(Reason.AUTHOR);
        }
        if (record.has(ItemFlag.UNDELIVERED)) {
            return Decision.by(Reason.UNDELIVERED);
        }
        if (record.cancelled() && !(requester instanceof Requester.Institution institution
                && record.category() == ShareCategory.REFERRAL_LETTER && record.fetchedByAddressee()
                && record.addressedInstitution().map(institution.code()::equals).orElse(false))) {
            return Decision.by(Reason.DOCUMENT_CANCELLED);
        }
        if (requester instanceof Requester.PatientSelf self) {
            if (!self.patientId().equals(request.patientId())) {
                return Decision.by(Reason.OTHER_PATIENT);
            }
            if (record.has(ItemFlag.UNINFORMED)) {
                return Decision.by(Reason.UNINFORMED);
            }
            return Decision.by(patientReads(record.category()) ? Reason.PATIENT_SELF : Reason.INSTITUTIONAL_DOCUMENT);
        }
        if (requester instanceof Requester.Insurer insurer) {
            return decideForInsurer(insurer.insurerNumber(), record);
        }
        if (requester instanceof Requester.Institution institution) {
            return decideForInstitution(institution.code(), request.purpose(), record, consents, now);
        }
        return Decision.by(Reason.OPERATOR);
    }

    /** A checkup report submitted under one of the insurer's member IDs, as much of it as its kind allows (see {@link CheckupDelivery#insurerView}). */
    private static Decision decideForInsurer(String insurerNumber, RecordFacts record) {
        Optional<CheckupDelivery> checkup = record.checkup();
        if (record.category() != ShareCategory.CHECKUP_REPORT || checkup.isEmpty() || !checkup.get().insurer().equals(insurerNumber)) {
            return Decision.by(Reason.INSURER_OUT_OF_SCOPE);
        }
        return Decision.by(switch (checkup.get().insurerView()) {
            case WHOLE -> Reason.INSURER_MEMBER_CHECKUP;
            case SPECIFIED_ITEMS -> Reason.INSURER_SPECIFIED_ITEMS;
            case NOTHING -> checkup.get().kind() == CheckupKind.COMPREHENSIVE ? Reason.INSURER_NOT_AGREED : Reason.INSURER_UNCLASSIFIED;
        });
    }

    /** Referral letters and discharge summaries are written for institutions; a deployment may show them to the patient too. */
    private boolean patientReads(ShareCategory category) {
        boolean institutional = category == ShareCategory.REFERRAL_LETTER || category == ShareCategory.DISCHARGE_SUMMARY;
        return !institutional || settings.patientReadsInstitutionalDocuments();
    }

    private Decision decideForInstitution(String viewer, Purpose purpose, RecordFacts record,
                                          Collection<PatientConsent> consents, Instant now) {
        boolean referral = record.category() == ShareCategory.REFERRAL_LETTER;
        if (referral && !record.addressedInstitution().map(viewer::equals).orElse(false)) {
            return Decision.by(Reason.NOT_ADDRESSED);
        }
        Optional<PatientConsent> refusal = consents.stream()
                .filter(c -> c.effect() == Effect.DENY && c.covers(viewer, record.category(), purpose, now))
                .findFirst();
        if (refusal.isPresent()) {
            return Decision.byConsent(Reason.CONSENT_REFUSED, refusal.get());
        }
        Optional<PatientConsent> permit = consents.stream()
                .filter(c -> c.effect() == Effect.PERMIT && c.covers(viewer, record.category(), purpose, now))
                .findFirst();
        if (permit.isPresent()) {
            return Decision.byConsent(Reason.CONSENT_PERMITTED, permit.get());
        }
        if (purpose == Purpose.EMERGENCY) {
            return Decision.by(settings.emergencyAccessEnabled() ? Reason.EMERGENCY : Reason.EMERGENCY_DISABLED);
        }
        return Decision.by(referral ? Reason.REFERRAL_ON_HOLD : Reason.NO_CONSENT);
    }

    /** The labels through which a permitted category reaches this kind of reader. */
    private static Set<Label> labelGranting(Requester requester, ShareCategory category) {
        if (requester instanceof Requester.PatientSelf) {
            return Set.of(new Label.PatientVisible(category));
        }
        if (requester instanceof Requester.Institution institution && category == ShareCategory.REFERRAL_LETTER) {
            return Set.of(new Label.AddressedTo(institution.code()));
        }
        if (requester instanceof Requester.Insurer insurer) {
            return insurerLabels(insurer.insurerNumber());
        }
        return Set.of(new Label.Category(category));
    }

    /** The checkup reports an insurer receives, of any patient: those labelled for it, whole or as 特定健診 items. */
    static Set<Label> insurerLabels(String insurerNumber) {
        return Set.of(new Label.InsurerDelivery(insurerNumber, InsurerView.WHOLE),
                new Label.InsurerDelivery(insurerNumber, InsurerView.SPECIFIED_ITEMS));
    }

    /** The labels a record carries, from its facts (see {@link Label#of}). */
    public static Set<Label> labelsOf(RecordFacts record) {
        return Label.of(record);
    }

    /**
     * Everything this request may see of the patient's records now, as labels: decided once per
     * request from one representative record per category.
     */
    public VisibleSet visibleSet(AccessRequest request, Collection<PatientConsent> consents, Instant now) {
        Set<Label> labels = new HashSet<>();
        Map<ShareCategory, Decision> decisions = new EnumMap<>(ShareCategory.class);
        Requester requester = request.requester();
        String otherAuthor = requester instanceof Requester.Institution i ? "not-" + i.code() : "any-institution";
        for (ShareCategory category : ShareCategory.values()) {
            RecordFacts representative = category == ShareCategory.REFERRAL_LETTER
                    ? RecordFacts.referralLetter(otherAuthor, requester instanceof Requester.Institution i ? i.code() : "")
                    : RecordFacts.of(category, otherAuthor);
            if (requester instanceof Requester.Insurer insurer && category == ShareCategory.CHECKUP_REPORT) {
                // the insurer's own members' reports; how much of each it receives is in the record's label
                representative = representative.withCheckup(new CheckupDelivery(insurer.insurerNumber(), CheckupKind.INSURER_RUN, false));
            }
            Decision decision = decide(request, representative, consents, now);
            decisions.put(category, decision);
            if (!decision.permits()) {
                continue;
            }
            labels.addAll(labelGranting(requester, category));
        }
        if (requester instanceof Requester.Institution institution) {
            labels.add(new Label.Author(institution.code()));
        }
        return new VisibleSet(labels, decisions);
    }
}
