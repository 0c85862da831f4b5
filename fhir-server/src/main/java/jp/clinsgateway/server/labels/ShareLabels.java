package jp.clinsgateway.server.labels;

import jp.clinsgateway.consent.ItemFlag;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.ig.GatewayCanonical;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Meta;

import java.util.EnumSet;
import java.util.Set;

/**
 * The facts the consent engine needs about a stored record, written into {@code meta.tag} at
 * submission so that a read can be narrowed inside the database query ({@code _tag}) rather than
 * filtered afterwards. Decided once, when the record is written, because a record's facts do not
 * change while consents do.
 *
 * <ul>
 *   <li>{@code share-category|<category>}: what the record is. An {@code UNDELIVERED} record has
 *       none, so only its author's label reaches it.</li>
 *   <li>{@code author-institution|<code>}: who submitted it.</li>
 *   <li>{@code patient-visibility|visible}: the patient may see it (absent for
 *       {@code UNINFORMED} and {@code UNDELIVERED} records).</li>
 * </ul>
 */
public final class ShareLabels {

    public static final String PATIENT_VISIBLE = "visible";

    private ShareLabels() {
    }

    public static void apply(Meta meta, ShareCategory category, String authorInstitution, Set<ItemFlag> flags) {
        meta.getTag().removeIf(ShareLabels::isGatewayLabel);
        if (!flags.contains(ItemFlag.UNDELIVERED)) {
            meta.addTag(GatewayCanonical.SHARE_CATEGORY, category.code(), null);
        }
        meta.addTag(GatewayCanonical.AUTHOR_INSTITUTION, authorInstitution, null);
        if (!flags.contains(ItemFlag.UNDELIVERED) && !flags.contains(ItemFlag.UNINFORMED)) {
            meta.addTag(GatewayCanonical.PATIENT_VISIBILITY, PATIENT_VISIBLE, null);
        }
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

    private static boolean isGatewayLabel(Coding tag) {
        return GatewayCanonical.SHARE_CATEGORY.equals(tag.getSystem())
                || GatewayCanonical.AUTHOR_INSTITUTION.equals(tag.getSystem())
                || GatewayCanonical.PATIENT_VISIBILITY.equals(tag.getSystem());
    }
}
