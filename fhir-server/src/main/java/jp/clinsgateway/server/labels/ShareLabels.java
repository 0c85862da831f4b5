package jp.clinsgateway.server.labels;

import ca.uhn.fhir.rest.param.TokenParam;
import jp.clinsgateway.consent.InsurerView;
import jp.clinsgateway.consent.ItemFlag;
import jp.clinsgateway.consent.Label;
import jp.clinsgateway.consent.RecordFacts;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.ig.GatewayCanonical;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Meta;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The consent engine's {@link Label}s of a stored record, written into {@code meta.tag} at
 * submission so that a read can be narrowed inside the database query ({@code _tag}) rather than
 * filtered afterwards. Decided once, when the record is written, because a record's facts do not
 * change while consents do. This class is the one place that maps labels to tags and back.
 *
 * <ul>
 *   <li>{@code share-category|<category>}: what the record is (absent on UNDELIVERED records and
 *       on referral letters).</li>
 *   <li>{@code addressed-institution|<code>}: a referral letter's addressee.</li>
 *   <li>{@code author-institution|<code>}: who submitted it.</li>
 *   <li>{@code patient-visibility|<category>}: the patient may see it if the patient reads its
 *       category (absent for UNINFORMED and UNDELIVERED records).</li>
 *   <li>{@code insurer-delivery|<insurer number>:whole} or {@code :specified-items}: a checkup report
 *       that insurer receives, whole or as its 特定健診 items (absent when it receives nothing).</li>
 * </ul>
 * Document Bundles also carry {@code record-subject|Patient/<id>}: a document is stored
 * unchanged, so its gateway Patient is known only from this tag. Information items carry
 * {@code report|<Bundle.identifier value>}: the report that holds them now, so that the report sent
 * again finds the items it no longer holds with one query. Neither decides who sees a record.
 */
public final class ShareLabels {

    /** The code the first labels used for "the patient may see it", before it named the category (see LabelMigration). */
    public static final String LEGACY_PATIENT_VISIBLE = "visible";

    private ShareLabels() {
    }

    /** Replaces the record's labels with those of its facts. */
    public static void apply(Meta meta, RecordFacts facts) {
        meta.getTag().removeIf(ShareLabels::isGatewayLabel);
        Label.of(facts).forEach(label -> meta.addTag(tagOf(label)));
    }

    public static void apply(Meta meta, ShareCategory category, String authorInstitution, Set<ItemFlag> flags) {
        apply(meta, new RecordFacts(category, authorInstitution, flags, Optional.empty()));
    }

    /** The labels a stored record carries. */
    public static Set<Label> labelsOf(Meta meta) {
        Set<Label> labels = new HashSet<>();
        for (Coding tag : meta.getTag()) {
            String code = tag.getCode();
            if (GatewayCanonical.SHARE_CATEGORY.equals(tag.getSystem())) {
                ShareCategory.fromCode(code).ifPresent(c -> labels.add(new Label.Category(c)));
            } else if (GatewayCanonical.AUTHOR_INSTITUTION.equals(tag.getSystem())) {
                labels.add(new Label.Author(code));
            } else if (GatewayCanonical.ADDRESSED_INSTITUTION.equals(tag.getSystem())) {
                labels.add(new Label.AddressedTo(code));
            } else if (GatewayCanonical.PATIENT_VISIBILITY.equals(tag.getSystem())) {
                ShareCategory.fromCode(code).ifPresent(c -> labels.add(new Label.PatientVisible(c)));
            } else if (GatewayCanonical.INSURER_DELIVERY.equals(tag.getSystem()) && code != null && code.contains(":")) {
                String[] parts = code.split(":", 2);
                InsurerView.fromCode(parts[1]).ifPresent(view -> labels.add(new Label.InsurerDelivery(parts[0], view)));
            }
        }
        return labels;
    }

    public static Coding tagOf(Label label) {
        if (label instanceof Label.Category category) {
            return new Coding(GatewayCanonical.SHARE_CATEGORY, category.category().code(), null);
        }
        if (label instanceof Label.Author author) {
            return new Coding(GatewayCanonical.AUTHOR_INSTITUTION, author.institution(), null);
        }
        if (label instanceof Label.AddressedTo addressed) {
            return new Coding(GatewayCanonical.ADDRESSED_INSTITUTION, addressed.institution(), null);
        }
        if (label instanceof Label.PatientVisible visible) {
            return new Coding(GatewayCanonical.PATIENT_VISIBILITY, visible.category().code(), null);
        }
        if (label instanceof Label.InsurerDelivery delivery) {
            return new Coding(GatewayCanonical.INSURER_DELIVERY, delivery.insurer() + ":" + delivery.view().code(), null);
        }
        throw new IllegalArgumentException("No tag for " + label);
    }

    /** The {@code _tag} search token of a label. */
    public static TokenParam tokenOf(Label label) {
        Coding tag = tagOf(label);
        return new TokenParam(tag.getSystem(), tag.getCode());
    }

    /** Marks a stored document Bundle with its gateway Patient. */
    public static void applySubject(Meta meta, String patientReference) {
        meta.getTag().removeIf(t -> GatewayCanonical.RECORD_SUBJECT.equals(t.getSystem()));
        meta.addTag(GatewayCanonical.RECORD_SUBJECT, patientReference, null);
    }

    /** Marks a stored information item with the report that holds it, replacing any report it was in. */
    public static void applyReport(Meta meta, String reportIdentifier) {
        meta.getTag().removeIf(t -> GatewayCanonical.REPORT.equals(t.getSystem()));
        meta.addTag(GatewayCanonical.REPORT, reportIdentifier, null);
    }

    /** The {@code _tag} search token of the items a report holds. */
    public static TokenParam reportToken(String reportIdentifier) {
        return new TokenParam(GatewayCanonical.REPORT, reportIdentifier);
    }

    public static Optional<String> subjectOf(Meta meta) {
        return meta.getTag().stream().filter(t -> GatewayCanonical.RECORD_SUBJECT.equals(t.getSystem()))
                .map(Coding::getCode).findFirst();
    }

    /** The sharing flags an institution set on a record. */
    public static Set<ItemFlag> flagsOf(Meta meta) {
        Set<ItemFlag> flags = EnumSet.noneOf(ItemFlag.class);
        for (Coding tag : meta.getTag()) {
            if (ItemFlag.SYSTEM.equals(tag.getSystem())) {
                ItemFlag.fromCode(tag.getCode()).ifPresent(flags::add);
            }
        }
        return flags;
    }

    /** The category a stored record's labels name (for the access log: what was shown). */
    public static Optional<ShareCategory> categoryOf(Meta meta) {
        for (Label label : labelsOf(meta)) {
            if (label instanceof Label.Category c) {
                return Optional.of(c.category());
            }
            if (label instanceof Label.PatientVisible v) {
                return Optional.of(v.category());
            }
            if (label instanceof Label.AddressedTo) {
                return Optional.of(ShareCategory.REFERRAL_LETTER);
            }
        }
        return Optional.empty();
    }

    /** The institution that submitted a stored record. */
    public static Optional<String> authorOf(Meta meta) {
        return labelsOf(meta).stream().filter(Label.Author.class::isInstance).map(l -> ((Label.Author) l).institution()).findFirst();
    }

    private static boolean isGatewayLabel(Coding tag) {
        return GatewayCanonical.SHARE_CATEGORY.equals(tag.getSystem())
                || GatewayCanonical.AUTHOR_INSTITUTION.equals(tag.getSystem())
                || GatewayCanonical.ADDRESSED_INSTITUTION.equals(tag.getSystem())
                || GatewayCanonical.PATIENT_VISIBILITY.equals(tag.getSystem())
                || GatewayCanonical.INSURER_DELIVERY.equals(tag.getSystem());
    }
}
