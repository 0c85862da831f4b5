package jp.clinsgateway.server.submission;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every populated reference in a resource (its contained resources included), by FHIRPath-style element path. */
final class ReferencePaths {

    private ReferencePaths() {
    }

    static Map<String, Reference> of(Base resource, String path) {
        Map<String, Reference> found = new LinkedHashMap<>();
        walk(resource, path, found);
        return found;
    }

    private static void walk(Base element, String path, Map<String, Reference> found) {
        if (element instanceof Reference reference && reference.hasReference()) {
            found.put(path + ".reference", reference);
        }
        for (Property property : element.children()) {
            List<Base> values = property.getValues();
            for (int i = 0; i < values.size(); i++) {
                Base value = values.get(i);
                if (value != null && !value.isPrimitive()) {
                    walk(value, path + "." + property.getName() + (property.getMaxCardinality() > 1 ? "[" + i + "]" : ""), found);
                }
            }
        }
    }
}
