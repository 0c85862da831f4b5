package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.patient.JpIdentifiers;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An information item's business identifier, {@code <institution code>^<year>^<local id>}: the
 * key by which a later submission of the same item replaces the earlier one.
 */
public record ItemIdentifier(String value, String institutionCode, String year, String localId) {

    private static final Pattern FORMAT = Pattern.compile("(\\d{10})\\^(\\d{4})\\^(.+)");

    public static Optional<ItemIdentifier> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(value);
        if (!m.matches() || !JpIdentifiers.isInstitutionCode(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of(new ItemIdentifier(value, m.group(1), m.group(2), m.group(3)));
    }
}
