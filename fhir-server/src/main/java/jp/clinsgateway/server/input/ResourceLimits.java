package jp.clinsgateway.server.input;

import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.XhtmlType;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * What a resource may hold before it reaches storage, checked on every element: the characters of
 * every string ({@link TextCharacters}), the length of strings and identifiers, and the size of
 * decimals. The bounds are those of the database, not of FHIR: a valid FHIR decimal such as
 * {@code 1e400} or a 10,000-character identifier cannot be indexed, and is refused here with its path
 * (422) instead of failing inside the transaction.
 */
public final class ResourceLimits {

    /** A decimal's digits before the point: the quantity and number indexes hold about 15 significant digits. */
    public static final int DECIMAL_INTEGER_DIGITS = 15;
    /** A decimal's digits after the point (trailing zeros aside). */
    public static final int DECIMAL_FRACTION_DIGITS = 15;
    /** An identifier value: HAPI's token index keeps 200 characters, so longer ones would collide there. */
    public static final int IDENTIFIER_LENGTH = 200;
    /**
     * An insurance member ID (insurer 8 digits, symbol, number, branch: about 40 characters on a real card).
     * The gateway Patient is created conditionally on it, and the URL-encoded condition must fit HAPI's
     * 768-character column even when every character is a kanji (9 encoded characters each).
     */
    public static final int MEMBER_ID_LENGTH = 64;
    /** Any other string: far above any real note or name, far below what would strain a transaction. */
    public static final int STRING_LENGTH = 65_536;

    private ResourceLimits() {
    }

    /** Checks the element and everything below it; {@code path} names the element (e.g. "Bundle" or "Consent"). */
    public static void check(Base element, String path) {
        if (element instanceof PrimitiveType<?> primitive) {
            checkPrimitive(primitive, path);
        }
        if (element instanceof Identifier identifier && identifier.hasValue()) {
            checkIdentifier(identifier, path + ".value");
        }
        for (Property property : element.children()) {
            if (!property.hasValues()) {
                continue;
            }
            boolean repeats = property.getMaxCardinality() > 1;
            for (int i = 0; i < property.getValues().size(); i++) {
                Base child = property.getValues().get(i);
                if (child == null) {
                    continue;
                }
                check(child, path + "." + nameOf(property, child) + (repeats ? "[" + i + "]" : ""));
            }
        }
    }

    private static void checkPrimitive(PrimitiveType<?> primitive, String path) {
        if (primitive instanceof DecimalType decimal && decimal.getValue() != null) {
            checkDecimal(decimal.getValue(), path);
            return;
        }
        // Binary content is bounded by the request size; a narrative's XHTML was parsed as XML, which admits no controls.
        if (primitive instanceof Base64BinaryType || primitive instanceof XhtmlType || !primitive.hasValue()) {
            return;
        }
        String text = primitive.getValueAsString();
        Optional<String> refused = TextCharacters.firstRefused(text);
        if (refused.isPresent()) {
            throw Rejection.unprocessable(IssueType.INVALID, path, "A control character or a broken character ("
                    + refused.get() + ") is not allowed in a FHIR string; only tab, carriage return and line feed are");
        }
        if (text != null && text.length() > STRING_LENGTH) {
            throw Rejection.unprocessable(IssueType.TOOLONG, path, "A string holds at most " + STRING_LENGTH
                    + " characters; this one has " + text.length());
        }
    }

    private static void checkIdentifier(Identifier identifier, String path) {
        boolean memberId = JpIdentifiers.INSURANCE_MEMBER_ID.equals(identifier.getSystem());
        int limit = memberId ? MEMBER_ID_LENGTH : IDENTIFIER_LENGTH;
        if (identifier.getValue().length() > limit) {
            throw Rejection.unprocessable(IssueType.TOOLONG, path, (memberId ? "An insurance member ID" : "An identifier value")
                    + " holds at most " + limit + " characters; this one has " + identifier.getValue().length());
        }
    }

    /** Whether the text is a decimal within the bounds the database can store and compare. */
    public static boolean isStorableDecimal(String text) {
        if (text.isEmpty() || text.length() > 64) {
            return false;
        }
        try {
            return isStorable(new BigDecimal(text));
        } catch (NumberFormatException | ArithmeticException notANumber) {
            return false;
        }
    }

    private static boolean isStorable(BigDecimal value) {
        BigDecimal plain = value.stripTrailingZeros();
        int integerDigits = Math.max(plain.precision() - plain.scale(), 0);
        return integerDigits <= DECIMAL_INTEGER_DIGITS && plain.scale() <= DECIMAL_FRACTION_DIGITS;
    }

    private static void checkDecimal(BigDecimal value, String path) {
        if (!isStorable(value)) {
            throw Rejection.unprocessable(IssueType.VALUE, path, "A decimal holds at most " + DECIMAL_INTEGER_DIGITS
                    + " digits before and " + DECIMAL_FRACTION_DIGITS + " after the decimal point, so that it can be stored and searched; got "
                    + abbreviated(value));
        }
    }

    private static String abbreviated(BigDecimal value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    /** A choice element is named by its type, as FHIRPath does: value[x] holding a Quantity is valueQuantity. */
    static String nameOf(Property property, Base value) {
        String name = property.getName();
        if (!name.endsWith("[x]")) {
            return name;
        }
        String type = value.fhirType();
        return name.substring(0, name.length() - 3) + Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }
}
