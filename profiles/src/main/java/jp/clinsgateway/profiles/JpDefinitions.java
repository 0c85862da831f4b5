package jp.clinsgateway.profiles;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reconciled JP conformance resources the validator holds, and for each canonical URL which
 * guide's copy is held and which guides publish it (a URL can be defined by two packages).
 */
public final class JpDefinitions {

    private final Map<String, MetadataResource> byUrl;
    private final Map<String, JpGuide> heldFrom;
    private final Map<String, Set<JpGuide>> publishedBy;

    JpDefinitions(Map<String, MetadataResource> byUrl, Map<String, JpGuide> heldFrom, Map<String, Set<JpGuide>> publishedBy) {
        this.byUrl = Collections.unmodifiableMap(byUrl);
        this.heldFrom = Map.copyOf(heldFrom);
        this.publishedBy = Map.copyOf(publishedBy);
    }

    public List<IBaseResource> resources() {
        return new ArrayList<>(byUrl.values());
    }

    /** The held definition of an unversioned canonical URL. */
    public Optional<MetadataResource> definition(String url) {
        return Optional.ofNullable(byUrl.get(url));
    }

    /** The guide whose copy of the URL the validator uses. */
    public Optional<JpGuide> heldFrom(String url) {
        return Optional.ofNullable(heldFrom.get(url));
    }

    /** Every guide whose package defines the URL. */
    public Set<JpGuide> publishedBy(String url) {
        return publishedBy.getOrDefault(url, EnumSet.noneOf(JpGuide.class));
    }

    /** What a {@code url|version} declaration means here. */
    public Declaration declaration(String canonical) {
        int bar = canonical.indexOf('|');
        String url = bar < 0 ? canonical : canonical.substring(0, bar);
        Optional<String> version = bar < 0 ? Optional.empty() : Optional.of(canonical.substring(bar + 1));
        MetadataResource held = byUrl.get(url);
        JpGuide guide = heldFrom.get(url);
        if (held == null || guide == null) {
            return new Declaration(url, version, Optional.empty(), Declaration.Kind.NOT_HELD);
        }
        if (version.isEmpty()) {
            return new Declaration(url, version, Optional.of(guide), Declaration.Kind.UNVERSIONED);
        }
        if (version.get().equals(held.getVersion())) {
            return new Declaration(url, version, Optional.of(guide), Declaration.Kind.HELD_VERSION);
        }
        boolean accepted = publishedBy(url).stream().anyMatch(g -> g.accepts(version.get()));
        return new Declaration(url, version, Optional.of(guide), accepted ? Declaration.Kind.SAME_FAMILY : Declaration.Kind.OTHER_FAMILY);
    }

    /**
     * A profile declaration read against what is held.
     *
     * @param url     the canonical URL without its version
     * @param version the declared version, if any
     * @param heldFrom the guide whose copy is used, when the URL is held at all
     */
    public record Declaration(String url, Optional<String> version, Optional<JpGuide> heldFrom, Kind kind) {
        public enum Kind {
            /** Not one of the JP definitions held here (our own guide, HL7 core, or unknown). */
            NOT_HELD,
            /** No version: the newest guide at receipt, validated against the held copy. */
            UNVERSIONED,
            /** Exactly the version of the held definition (e.g. {@code |1}, the 1.5.2 profiles' own version). */
            HELD_VERSION,
            /** A version of the same guide family, validated against the held copy. */
            SAME_FAMILY,
            /** A version the gateway cannot judge. */
            OTHER_FAMILY
        }

        /** Whether the validator should use the held copy for this declaration. */
        public boolean usesHeldCopy() {
            return kind == Kind.UNVERSIONED || kind == Kind.HELD_VERSION || kind == Kind.SAME_FAMILY;
        }

        /** The profile's name, the last segment of its URL. */
        public String name() {
            return url.substring(url.lastIndexOf('/') + 1);
        }
    }
}
