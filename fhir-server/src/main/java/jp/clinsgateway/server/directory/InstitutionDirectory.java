package jp.clinsgateway.server.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jp.clinsgateway.server.patient.JpIdentifiers;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The institutions the gateway knows: name by 10-digit code (the medical institution master), and
 * whether each is connected to the sharing service through this gateway. Read once at start from
 * {@code gateway.institutions.directory} (a {@code file:} path, or the demo extract on the classpath).
 */
@Component
public class InstitutionDirectory {

    /** @param directory where the directory JSON is ({@code file:/...} or {@code classpath:...}) */
    @ConfigurationProperties(prefix = "gateway.institutions")
    public record Properties(@DefaultValue("classpath:institutions/directory.json") String directory) {
    }

    /** One institution of the directory. */
    public record Institution(String code, String name, boolean connected) {
    }

    private final Map<String, Institution> byCode;

    public InstitutionDirectory(Properties properties) {
        this.byCode = read(new DefaultResourceLoader().getResource(properties.directory()));
    }

    public Optional<Institution> find(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    /**
     * Institutions whose code starts with the text (digits, full-width ones too) or whose name contains it
     * (compared after NFKC, so full- and half-width forms match), by code; at most {@code limit}.
     */
    public java.util.List<Institution> search(String text, int limit) {
        String folded = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC).strip();
        if (folded.isEmpty()) {
            return java.util.List.of();
        }
        return byCode.values().stream()
                .filter(i -> i.code().startsWith(folded)
                        || java.text.Normalizer.normalize(i.name(), java.text.Normalizer.Form.NFKC).contains(folded))
                .sorted(java.util.Comparator.comparing(Institution::code)).limit(limit).toList();
    }

    private static Map<String, Institution> read(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Institution> institutions = new LinkedHashMap<>();
            for (JsonNode entry : root.path("institutions")) {
                String code = entry.path("code").asText();
                if (!JpIdentifiers.isInstitutionCode(code)) {
                    throw new IllegalStateException("The institution directory " + resource + " has an invalid code: '" + code + "'");
                }
                institutions.put(code, new Institution(code, entry.path("name").asText(), entry.path("connected").asBoolean(false)));
            }
            return Map.copyOf(institutions);
        } catch (IOException e) {
            throw new UncheckedIOException("The institution directory " + resource + " cannot be read", e);
        }
    }
}
