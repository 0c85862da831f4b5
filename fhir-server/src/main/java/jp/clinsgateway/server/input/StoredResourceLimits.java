package jp.clinsgateway.server.input;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.springframework.stereotype.Component;

/**
 * Every resource a client writes through the FHIR API (a Consent above all) meets the same bounds as
 * a submission ({@link ResourceLimits}) before HAPI stores it, the path starting at its type.
 */
@Component
public class StoredResourceLimits {

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = -2000)
    public void beforeCreate(IBaseResource resource) {
        check(resource);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = -2000)
    public void beforeUpdate(IBaseResource previous, IBaseResource updated) {
        check(updated);
    }

    private static void check(IBaseResource resource) {
        if (resource instanceof Base base) {
            ResourceLimits.check(base, resource.fhirType());
        }
    }
}
