package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.Bundle;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A report's identifier: the {@code Bundle.identifier} of a JP_Bundle_CLINS (system
 * {@value JpIdentifiers#BUNDLE_IDENTIFIER}, value {@code <institution code>^<year>^<id>}). JP-CLINS
 * makes the report the unit of a submission: with the patient it names the report that a Bundle
 * sent again under it replaces whole. Its value starts with the sending institution's code, so one
 * institution can never name another's report.
 */
public record ReportIdentifier(String value, String institutionCode) {

    private static final Pattern FORMAT = Pattern.compile("(\\d{10})\\^.+");

    /** The Bundle's report identifier, if it has one in the sharing service's system and format. */
    static Optional<ReportIdentifier> of(Bundle bundle) {
        if (!bundle.hasIdentifier() || !JpIdentifiers.BUNDLE_IDENTIFIER.equals(bundle.getIdentifier().getSystem())) {
            return Optional.empty();
        }
        return parse(bundle.getIdentifier().getValue());
    }

    public static Optional<ReportIdentifier> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(value);
        if (!m.matches() || !JpIdentifiers.isInstitutionCode(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of(new ReportIdentifier(value, m.group(1)));
    }
}
