package jp.clinsgateway.server.support;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * Declares every JP profile of a resource (its Bundle entries and contained resources too) with a
 * version, as an EMR built to a newer guide sends them: JP-CLINS and eCheckupReport profiles with
 * their guide's version, JP Core ones with JP Core's.
 */
public final class DeclaredVersions {

    /** The guides the EMRs of December 2026 build to. */
    public static final String JP_CLINS = "1.11.0";
    public static final String JP_CORE = "1.2.0";
    public static final String ECHECKUP_REPORT = "1.4.0";

    private DeclaredVersions() {
    }

    /** Today's guides: JP-CLINS 1.11.0, JP Core 1.2.0, eCheckupReport 1.4.0. */
    public static <T extends Resource> T ofTodaysGuides(T resource) {
        return declare(resource, JP_CLINS, JP_CORE, ECHECKUP_REPORT);
    }

    /** Every JP profile declared as the given JP-CLINS version (JP Core and eCheckupReport ones as today's). */
    public static <T extends Resource> T asJpClins(T resource, String version) {
        return declare(resource, version, JP_CORE, ECHECKUP_REPORT);
    }

    public static <T extends Resource> T declare(T resource, String clins, String core, String checkup) {
        if (resource == null) {
            return null;
        }
        for (CanonicalType profile : resource.getMeta().getProfile()) {
            String url = profile.getValue();
            if (url == null || !url.startsWith("http://jpfhir.jp/") || url.contains("|")) {
                continue;
            }
            String version = url.contains("/fhir/core/") ? core : url.contains("/fhir/eCheckup/") ? checkup : clins;
            profile.setValue(url + "|" + version);
        }
        if (resource instanceof DomainResource domain) {
            domain.getContained().forEach(contained -> declare(contained, clins, core, checkup));
        }
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().forEach(entry -> declare(entry.getResource(), clins, core, checkup));
        }
        return resource;
    }
}
