package jp.clinsgateway.server.names;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.param.StringParam;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Answers Patient searches by {@code name}, {@code family} and {@code given} through the
 * folded search keys ({@code name-folded}), so that 高橋 finds 髙橋 and 吉田 finds 𠮷田.
 * {@code :exact} and {@code :contains} keep HAPI's own comparison.
 */
@Component
@Interceptor
public class NameSearchInterceptor {

    static final String FOLDED = "name-folded";
    private static final Set<String> NAME_PARAMETERS = Set.of("name", "family", "given");

    @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
    public void foldNameSearches(SearchParameterMap map, ICachedSearchDetails details) {
        if (!"Patient".equals(details.getResourceType())) {
            return;
        }
        List<List<IQueryParameterType>> folded = new ArrayList<>();
        if (map.get(FOLDED) != null) {
            folded.addAll(map.get(FOLDED));
        }
        for (String parameter : NAME_PARAMETERS) {
            List<List<IQueryParameterType>> andList = map.remove(parameter);
            if (andList == null) {
                continue;
            }
            List<List<IQueryParameterType>> kept = new ArrayList<>();
            for (List<IQueryParameterType> orList : andList) {
                if (orList.stream().allMatch(NameSearchInterceptor::isPlainString)) {
                    folded.add(orList.stream()
                            .map(p -> (IQueryParameterType) new StringParam(NameSearchKey.of(((StringParam) p).getValue())))
                            .toList());
                } else {
                    kept.add(orList);
                }
            }
            if (!kept.isEmpty()) {
                map.put(parameter, kept);
            }
        }
        if (!folded.isEmpty()) {
            map.put(FOLDED, folded);
        }
    }

    private static boolean isPlainString(IQueryParameterType parameter) {
        return parameter instanceof StringParam s && !s.isExact() && !s.isContains() && s.getMissing() == null;
    }
}
