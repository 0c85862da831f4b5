package jp.clinsgateway.server.oversight;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import jp.clinsgateway.consent.Effect;
import jp.clinsgateway.consent.PatientConsent;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.consent.ConsentFacts;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;

/**
 * One month's consent figures, counted from the stored Consents (no personal data leaves here):
 * consents granted (permit) and refusals recorded in the month, and consents revoked in it; each
 * split into comprehensive (every category) and item-by-item, and per category named. A consent
 * counts in the month the gateway stored it (its first version), in Japan's calendar, whatever date
 * its sender wrote in it; a revocation in the month it was stored (the only change a consent takes).
 */
@Component
class ConsentStatistics {

    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    /** What is counted: granted, refused, revoked. */
    enum Measure { GRANTED, REFUSED, REVOKED }

    /** The counts of one measure. */
    static final class Counts {
        int total;
        int comprehensive;
        int itemByItem;
        final Map<ShareCategory, Integer> perCategory = new EnumMap<>(ShareCategory.class);

        void add(PatientConsent consent) {
            total++;
            if (consent.categories().isEmpty()) {
                comprehensive++;
            } else {
                itemByItem++;
                consent.categories().forEach(c -> perCategory.merge(c, 1, Integer::sum));
            }
        }
    }

    private final DaoRegistry daoRegistry;

    ConsentStatistics(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(JAPAN).toInstant();
    }

    Map<Measure, Counts> of(YearMonth month) {
        Instant from = start(month);
        Instant to = start(month.plusMonths(1));
        Map<Measure, Counts> counts = new EnumMap<>(Measure.class);
        for (Measure measure : Measure.values()) {
            counts.put(measure, new Counts());
        }
        // Every consent stored or changed since the month began: those recorded in it are among them.
        // (With _lastUpdated alone HAPI 8.8 answered resources of other types too: the status keeps it to Consents.)
        SearchParameterMap changed = SearchParameterMap.newSynchronous()
                .add("_lastUpdated", new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, Date.from(from)))
                .add("status", new TokenOrListParam().add(new TokenParam("active")).add(new TokenParam("inactive")));
        var dao = daoRegistry.getResourceDao(Consent.class);
        for (IBaseResource found : dao.search(changed, new SystemRequestDetails()).getAllResources()) {
            if (!(found instanceof Consent consent)) {
                continue;
            }
            PatientConsent facts = ConsentFacts.of(consent);
            Instant stored = consent.getMeta().getLastUpdated().toInstant();
            Instant recorded = "1".equals(consent.getMeta().getVersionId()) ? stored
                    : dao.read(consent.getIdElement().toUnqualifiedVersionless().withVersion("1"), new SystemRequestDetails())
                    .getMeta().getLastUpdated().toInstant();
            if (within(recorded, from, to)) {
                counts.get(facts.effect() == Effect.PERMIT ? Measure.GRANTED : Measure.REFUSED).add(facts);
            }
            if (!facts.active() && !"1".equals(consent.getMeta().getVersionId()) && within(stored, from, to)) {
                counts.get(Measure.REVOKED).add(facts);
            }
        }
        return counts;
    }

    private static boolean within(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && t.isBefore(to);
    }
}
