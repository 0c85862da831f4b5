package jp.clinsgateway.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Validates FHIR files offline against the JP packages, as the gateway would, and prints every
 * issue: {@code java -cp profiles.jar:... jp.clinsgateway.profiles.ValidateFiles [--with DIR] [--profile URL] FILE...}.
 * {@code --with} adds the conformance resources (JSON) of a folder, such as our IG's
 * {@code ig/src/main/fhir}, and must come first. Exits 1 when any file has an error.
 */
public final class ValidateFiles {

    private ValidateFiles() {
    }

    public static void main(String[] args) throws Exception {
        FhirContext fhirContext = FhirContext.forR4Cached();
        List<IBaseResource> extra = new ArrayList<>();
        int first = 0;
        if (args.length > 1 && args[0].equals("--with")) {
            try (Stream<Path> files = Files.list(Path.of(args[1]))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json") && !f.endsWith("package.json")).toList()) {
                    extra.add(fhirContext.newJsonParser().parseResource(Files.readString(file, StandardCharsets.UTF_8)));
                }
            }
            first = 2;
        }
        ClinicalValidator validator = ClinicalValidator.create(fhirContext, extra);
        String profile = null;
        boolean anyError = false;
        for (int i = first; i < args.length; i++) {
            if (args[i].equals("--profile")) {
                profile = args[++i];
                continue;
            }
            Path file = Path.of(args[i]);
            String text = Files.readString(file, StandardCharsets.UTF_8);
            IBaseResource resource = text.stripLeading().startsWith("<")
                    ? fhirContext.newXmlParser().parseResource(text)
                    : fhirContext.newJsonParser().parseResource(text);
            ValidationResult result = profile == null ? validator.validate(resource) : validator.validate(resource, profile);
            int errors = 0;
            for (SingleValidationMessage message : result.getMessages()) {
                boolean error = message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal();
                errors += error ? 1 : 0;
                System.out.printf("%s %s %s: %s%n", file.getFileName(), message.getSeverity(),
                        message.getLocationString(), message.getMessage());
            }
            System.out.printf("%s: %d error(s), %d message(s)%n", file, errors, result.getMessages().size());
            anyError |= errors > 0;
        }
        System.exit(anyError ? 1 : 0);
    }
}
