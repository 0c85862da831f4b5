package jp.clinsgateway.server.labels;

import ca.uhn.fhir.rest.param.TokenOrListParam;
import jp.clinsgateway.server.ig.GatewayCanonical;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Meta;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which institutions a gateway Patient is related to, as tags a Patient search can be narrowed by:
 * {@code author-institution|<code>} for each institution that submitted records for the patient
 * (added with the first submission, never removed: it stays a fact), and
 * {@code consented-institution|<code>} for each institution named in one of the patient's active
 * consents (re-derived from the consents whenever one is written).
 */
public final class PatientRelations {

    private PatientRelations() {
    }

    /** Adds the submitting institution; true when the Patient changed. */
    public static boolean addSubmitter(Meta meta, String institutionCode) {
        if (codes(meta, GatewayCanonical.AUTHOR_INSTITUTION).contains(institutionCode)) {
            return false;
        }
        meta.addTag(GatewayCanonical.AUTHOR_INSTITUTION, institutionCode, null);
        return true;
    }

    /** Replaces the consented institutions; true when they changed. */
    public static boolean setConsented(Meta meta, Set<String> institutionCodes) {
        if (codes(meta, GatewayCanonical.CONSENTED_INSTITUTION).equals(new TreeSet<>(institutionCodes))) {
            return false;
        }
        meta.getTag().removeIf(t -> GatewayCanonical.CONSENTED_INSTITUTION.equals(t.getSystem()));
        new TreeSet<>(institutionCodes).forEach(code -> meta.addTag(GatewayCanonical.CONSENTED_INSTITUTION, code, null));
        return true;
    }

    /** Every institution the patient is related to. */
    public static Set<String> relatedInstitutions(Meta meta) {
        Set<String> related = codes(meta, GatewayCanonical.AUTHOR_INSTITUTION);
        related.addAll(codes(meta, GatewayCanonical.CONSENTED_INSTITUTION));
        return related;
    }

    /** The {@code _tag} OR-list that finds the patients related to one institution. */
    public static TokenOrListParam relatedTo(String institutionCode) {
        return new TokenOrListParam()
                .add(GatewayCanonical.AUTHOR_INSTITUTION, institutionCode)
                .add(GatewayCanonical.CONSENTED_INSTITUTION, institutionCode);
    }

    /** Leaves only this institution's relation tags: the others would tell where else the patient is treated. */
    public static void keepOnly(Meta meta, String institutionCode) {
        meta.getTag().removeIf(t -> isRelation(t) && !t.getCode().equals(institutionCode));
    }

    private static boolean isRelation(Coding tag) {
        return GatewayCanonical.AUTHOR_INSTITUTION.equals(tag.getSystem()) || GatewayCanonical.CONSENTED_INSTITUTION.equals(tag.getSystem());
    }

    private static Set<String> codes(Meta meta, String system) {
        return meta.getTag().stream().filter(t -> system.equals(t.getSystem())).map(Coding::getCode)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
