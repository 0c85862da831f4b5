package jp.clinsgateway.profiles;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Says which guide version each JP profile declaration was validated against: for a declaration
 * with a version, an information issue at its {@code meta.profile} (or an error when the version is
 * not one the gateway can judge); for those without, one information issue naming the held versions
 * they were read as.
 */
final class ProfileDeclarations {

    private final JpDefinitions held;

    ProfileDeclarations(JpDefinitions held) {
        this.held = held;
    }

    /** The notes for a resource (and every resource inside it) validated, also, against the given profiles. */
    List<SingleValidationMessage> notes(Resource resource, Collection<String> requestedProfiles) {
        List<SingleValidationMessage> notes = new ArrayList<>();
        Map<JpGuide, Set<String>> unversioned = new EnumMap<>(JpGuide.class);
        String root = resource.fhirType();
        for (String requested : requestedProfiles) {
            note(held.declaration(requested), root, "requested", notes, unversioned);
        }
        visit(resource, root, notes, unversioned);
        if (!unversioned.isEmpty()) {
            notes.add(message(ResultSeverityEnum.INFORMATION, root, "Profiles declared without a version ("
                    + unversioned.entrySet().stream().map(e -> String.join(", ", e.getValue()))
                    .collect(Collectors.joining(", ")) + ") are read as the newest guide at receipt and validated against "
                    + unversioned.keySet().stream().map(JpGuide::held).collect(Collectors.joining(", "))
                    + ", as held here, with the later changes reconciled as the gateway's guide lists them"));
        }
        return notes;
    }

    private void visit(Resource resource, String path, List<SingleValidationMessage> notes, Map<JpGuide, Set<String>> unversioned) {
        if (resource == null) {
            return;
        }
        List<CanonicalType> profiles = resource.getMeta().getProfile();
        for (int j = 0; j < profiles.size(); j++) {
            if (profiles.get(j).getValue() != null) {
                note(held.declaration(profiles.get(j).getValue()), path + ".meta.profile[" + j + "]", "declared", notes, unversioned);
            }
        }
        if (resource instanceof DomainResource domain) {
            for (int k = 0; k < domain.getContained().size(); k++) {
                visit(domain.getContained().get(k), path + ".contained[" + k + "]", notes, unversioned);
            }
        }
        if (resource instanceof Bundle bundle) {
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                visit(bundle.getEntry().get(i).getResource(), path + ".entry[" + i + "].resource", notes, unversioned);
            }
        }
    }

    private void note(JpDefinitions.Declaration declaration, String path, String how,
                             List<SingleValidationMessage> notes, Map<JpGuide, Set<String>> unversioned) {
        Optional<JpGuide> guide = declaration.heldFrom();
        String declared = declaration.name() + declaration.version().map(v -> "|" + v).orElse("");
        switch (declaration.kind()) {
            case NOT_HELD -> {
            }
            case UNVERSIONED -> unversioned.computeIfAbsent(guide.orElseThrow(), g -> new TreeSet<>()).add(declaration.name());
            case HELD_VERSION -> notes.add(message(ResultSeverityEnum.INFORMATION, path, "Profile " + how + " as " + declared
                    + ", the version of the " + guide.orElseThrow().held() + " definition held here: validated against exactly that definition"));
            case SAME_FAMILY -> notes.add(message(ResultSeverityEnum.INFORMATION, path, "Profile " + how + " as " + declared
                    + ": validated against the " + guide.orElseThrow().held() + " definition held here, with the changes since "
                    + guide.orElseThrow().heldVersion() + " reconciled as the gateway's guide lists them"));
            case OTHER_FAMILY -> notes.add(message(ResultSeverityEnum.ERROR, path, "Profile " + how + " as " + declared
                    + ": the gateway validates " + declaration.name() + " of " + accepted(declaration)
                    + " (against the definitions held here); " + declaration.version().orElse("") + " is not one of them"));
        }
    }

    private String accepted(JpDefinitions.Declaration declaration) {
        return held.publishedBy(declaration.url()).stream().map(g -> g.title() + " " + g.acceptedVersions())
                .collect(Collectors.joining(" or "));
    }

    static SingleValidationMessage message(ResultSeverityEnum severity, String path, String text) {
        SingleValidationMessage message = new SingleValidationMessage();
        message.setSeverity(severity);
        message.setLocationString(path);
        message.setMessage(text);
        message.setMessageId(GuideReconciliation.GUIDE_VERSION_MESSAGE);
        return message;
    }
}
