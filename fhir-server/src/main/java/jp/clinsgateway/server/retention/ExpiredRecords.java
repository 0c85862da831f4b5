package jp.clinsgateway.server.retention;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jp.clinsgateway.consent.ItemFlag;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.labels.ShareLabels;
import jp.clinsgateway.server.submission.ItemCategories;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Finds the records whose retention period is over. Each category is searched in the database by
 * the indexed date its period counts from (so the search returns candidates, not the whole store);
 * each candidate is then judged exactly by {@link RetentionRule}. What each period counts from:
 * <ul>
 *   <li>diagnosis: the end of the diagnosis ({@code Condition.abatementDateTime}, 病名終了日/転帰日): a diagnoses
 *       report holds all active diagnoses and those ended within 5 years, so an active one does not expire;</li>
 *   <li>allergy, drug contraindication: when it was stored as no longer active ({@code clinicalStatus}
 *       inactive or resolved; AllergyIntolerance carries no end date); an active one does not expire;</li>
 *   <li>infection, lab result: when the specimen was taken ({@code Observation.effective[x]}, 検体採取日時, 1..1);</li>
 *   <li>prescription: when it was issued ({@code MedicationRequest.authoredOn}, 1..1); the patient's newest
 *       {@code prescriptionsKept} are kept however old;</li>
 *   <li>checkup report, discharge summary, unfetched referral letter: the document's date (its Composition.date);
 *       a referral letter its addressee fetched: the first fetch.</li>
 *   <li>a withdrawn item: as it would have, by its last stored version.</li>
 * </ul>
 */
@Component
class ExpiredRecords {

    /** One record to expunge: the resources that make it (an item; a document's index and Bundle). */
    record Expired(ShareCategory category, List<IIdType> resources) {
    }

    private static final Set<String> ENDED = Set.of("inactive", "resolved");
    private static final String ALLERGY_STATUS = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";

    private final DaoRegistry daoRegistry;
    private final JdbcTemplate jdbc;
    private final RetentionRule rule;
    private final RetentionProperties properties;

    ExpiredRecords(DaoRegistry daoRegistry, DataSource dataSource, RetentionProperties properties) {
        this.daoRegistry = daoRegistry;
        this.jdbc = new JdbcTemplate(dataSource);
        this.properties = properties;
        this.rule = new RetentionRule(properties);
    }

    List<Expired> at(Instant now) {
        List<Expired> expired = new ArrayList<>();
        diagnoses(now, expired);
        allergies(now, expired);
        observations(now, expired);
        prescriptions(now, expired);
        withdrawnItems(now, expired);
        documents(now, expired);
        return expired;
    }

    private void diagnoses(Instant now, List<Expired> expired) {
        Optional<Instant> cutoff = latestCutoff(now, ShareCategory.DIAGNOSIS);
        if (cutoff.isEmpty()) {
            return;
        }
        forEachMatch("Condition", before("abatement-date", cutoff.get()), found -> judge(found, now, expired));
    }

    private void allergies(Instant now, List<Expired> expired) {
        Optional<Instant> cutoff = latestCutoff(now, ShareCategory.ALLERGY, ShareCategory.CONTRAINDICATION);
        if (cutoff.isEmpty()) {
            return;
        }
        SearchParameterMap ended = before("_lastUpdated", cutoff.get());
        TokenOrListParam statuses = new TokenOrListParam();
        ENDED.forEach(code -> statuses.addOr(new TokenParam(ALLERGY_STATUS, code)));
        ended.add("clinical-status", statuses);
        forEachMatch("AllergyIntolerance", ended, found -> judge(found, now, expired));
    }

    private void observations(Instant now, List<Expired> expired) {
        Optional<Instant> cutoff = latestCutoff(now, ShareCategory.LAB_RESULT, ShareCategory.INFECTION);
        if (cutoff.isEmpty()) {
            return;
        }
        forEachMatch("Observation", before("date", cutoff.get()), found -> judge(found, now, expired));
    }

    private void prescriptions(Instant now, List<Expired> expired) {
        Optional<Instant> cutoff = latestCutoff(now, ShareCategory.PRESCRIPTION);
        if (cutoff.isEmpty()) {
            return;
        }
        Map<String, Set<String>> newestOfPatient = new HashMap<>();
        forEachMatch("MedicationRequest", before("authoredon", cutoff.get()), found -> {
            String patient = ((MedicationRequest) found).getSubject().getReference();
            Set<String> newest = newestOfPatient.computeIfAbsent(patient, this::newestPrescriptions);
            if (!newest.contains(versionless(found).getValue())) {
                judge(found, now, expired);
            }
        });
    }

    /**
     * Items an institution withdrew (deleted by a report, their versions kept by HAPI for the author's
     * audit) go when the item itself would have gone: judged by their last stored version, with the
     * rules above. A withdrawn prescription is never among the newest kept (those are the patient's
     * current ones).
     */
    private void withdrawnItems(Instant now, List<Expired> expired) {
        List<Map<String, Object>> withdrawn = jdbc.queryForList("select res_type, fhir_id, res_ver from hfj_resource"
                + " where res_deleted_at is not null and res_type in ('Condition', 'AllergyIntolerance', 'Observation', 'MedicationRequest')");
        for (Map<String, Object> row : withdrawn) {
            long deletedVersion = ((Number) row.get("res_ver")).longValue();
            if (deletedVersion < 2) {
                continue; // nothing stored before the deletion
            }
            IdType lastStored = new IdType((String) row.get("res_type"), (String) row.get("fhir_id"), Long.toString(deletedVersion - 1));
            Resource item;
            try {
                item = (Resource) daoRegistry.getResourceDao(lastStored.getResourceType()).read(lastStored, new SystemRequestDetails());
            } catch (ResourceNotFoundException | ResourceGoneException e) {
                continue; // expunged meanwhile
            }
            if (ItemCategories.of(item).isPresent()) {
                judge(item, now, expired);
            }
        }
    }

    /** When an item's retention period counts from (see the class comment); empty: it does not expire. */
    private static Optional<Instant> countsFrom(Resource item) {
        if (item instanceof Condition condition) {
            return condition.hasAbatementDateTimeType()
                    ? Optional.ofNullable(condition.getAbatementDateTimeType().getValue()).map(Date::toInstant) : Optional.empty();
        }
        if (item instanceof AllergyIntolerance allergy) {
            boolean inactive = allergy.getClinicalStatus().getCoding().stream().anyMatch(c -> ENDED.contains(c.getCode()));
            return inactive ? Optional.of(allergy.getMeta().getLastUpdated().toInstant()) : Optional.empty();
        }
        if (item instanceof Observation observation) {
            return observation.hasEffectiveDateTimeType()
                    ? Optional.ofNullable(observation.getEffectiveDateTimeType().getValue()).map(Date::toInstant)
                    : observation.hasEffectivePeriod() ? Optional.ofNullable(observation.getEffectivePeriod().getStart()).map(Date::toInstant)
                    : Optional.empty();
        }
        if (item instanceof MedicationRequest prescription) {
            return Optional.ofNullable(prescription.getAuthoredOn()).map(Date::toInstant);
        }
        return Optional.empty();
    }

    /** The patient's newest prescriptions by issue date (then by id, the later stored first). */
    private Set<String> newestPrescriptions(String patient) {
        if (properties.prescriptionsKept() <= 0) {
            return Set.of();
        }
        SearchParameterMap newest = SearchParameterMap.newSynchronous().add("subject", new ReferenceParam(patient));
        newest.setSort(new SortSpec("authoredon", SortOrderEnum.DESC, new SortSpec("_id", SortOrderEnum.DESC)));
        newest.setCount(properties.prescriptionsKept());
        return daoRegistry.getResourceDao("MedicationRequest").search(newest, new SystemRequestDetails())
                .getResources(0, properties.prescriptionsKept()).stream()
                .map(r -> versionless((Resource) r).getValue())
                .collect(Collectors.toSet());
    }

    private void documents(Instant now, List<Expired> expired) {
        for (ShareCategory category : List.of(ShareCategory.CHECKUP_REPORT, ShareCategory.DISCHARGE_SUMMARY, ShareCategory.REFERRAL_LETTER)) {
            Optional<Period> period = category == ShareCategory.REFERRAL_LETTER ? rule.letterPeriod(false) : properties.periodOf(category);
            if (period.isEmpty()) {
                continue;
            }
            SearchParameterMap dated = before("date", RetentionRule.cutoff(now, period.get()))
                    .add("category", new TokenParam(GatewayCanonical.SHARE_CATEGORY, category.code()));
            forEachMatch("DocumentReference", dated, found -> {
                DocumentReference index = (DocumentReference) found;
                // a letter its addressee fetched is judged by when it was fetched, below
                boolean fetchedLetter = category == ShareCategory.REFERRAL_LETTER && firstFetch(documentOf(index)).isPresent();
                if (!fetchedLetter && RetentionRule.expired(Optional.ofNullable(index.getDate()).map(Date::toInstant), period, now)) {
                    expired.add(document(category, index));
                }
            });
        }
        Optional<Period> afterFetch = rule.letterPeriod(true);
        if (afterFetch.isEmpty()) {
            return;
        }
        List<String> fetched = jdbc.queryForList("select document from gateway_document_fetch group by document having min(fetched) <= ?",
                String.class, Timestamp.from(RetentionRule.cutoff(now, afterFetch.get())));
        for (String document : fetched) {
            SearchParameterMap byDocument = SearchParameterMap.newSynchronous().add("location", new UriParam(document))
                    .add("category", new TokenParam(GatewayCanonical.SHARE_CATEGORY, ShareCategory.REFERRAL_LETTER.code()));
            forEachMatch("DocumentReference", byDocument, found -> {
                if (RetentionRule.expired(firstFetch(document), afterFetch, now)) {
                    expired.add(document(ShareCategory.REFERRAL_LETTER, (DocumentReference) found));
                }
            });
        }
    }

    private Expired document(ShareCategory category, DocumentReference index) {
        List<IIdType> resources = new ArrayList<>();
        resources.add(versionless(index));
        String document = documentOf(index);
        if (document != null && document.startsWith("Bundle/")) {
            resources.add(new IdType(document));
        }
        return new Expired(category, resources);
    }

    private static String documentOf(DocumentReference index) {
        return index.getContentFirstRep().getAttachment().getUrl();
    }

    private Optional<Instant> firstFetch(String document) {
        Timestamp first = jdbc.queryForObject("select min(fetched) from gateway_document_fetch where document = ?", Timestamp.class, document);
        return Optional.ofNullable(first).map(Timestamp::toInstant);
    }

    private void judge(Resource item, Instant now, List<Expired> expired) {
        ShareCategory category = ItemCategories.of(item).orElseThrow();
        boolean longTerm = ShareLabels.flagsOf(item.getMeta()).contains(ItemFlag.LTS);
        if (RetentionRule.expired(countsFrom(item), rule.periodOf(category, longTerm), now)) {
            expired.add(new Expired(category, List.of(versionless(item))));
        }
    }

    /**
     * The latest cutoff among the categories' periods (and the long-term one, where set): a record
     * counted from after it has expired in none of them, so the search need not return it.
     */
    private Optional<Instant> latestCutoff(Instant now, ShareCategory... categories) {
        List<Period> periods = new ArrayList<>(java.util.Arrays.stream(categories).map(properties::periodOf).flatMap(Optional::stream).toList());
        if (periods.isEmpty()) {
            return Optional.empty();
        }
        Optional.ofNullable(properties.longTermStorage()).ifPresent(periods::add);
        return periods.stream().map(p -> RetentionRule.cutoff(now, p)).max(Instant::compareTo);
    }

    private static SearchParameterMap before(String parameter, Instant cutoff) {
        return SearchParameterMap.newSynchronous().add(parameter, new DateParam(ParamPrefixEnum.LESSTHAN_OR_EQUALS, Date.from(cutoff)));
    }

    private void forEachMatch(String type, SearchParameterMap map, Consumer<Resource> each) {
        daoRegistry.getResourceDao(type).search(map, new SystemRequestDetails()).getAllResources()
                .forEach(found -> each.accept((Resource) found));
    }

    private static IIdType versionless(Resource resource) {
        return resource.getIdElement().toUnqualifiedVersionless();
    }
}
