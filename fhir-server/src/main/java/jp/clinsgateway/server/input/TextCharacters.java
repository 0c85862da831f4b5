package jp.clinsgateway.server.input;

import java.util.Optional;

/**
 * Which characters a FHIR string may hold here. FHIR says strings should not contain characters
 * below U+0020 except tab, carriage return and line feed, and XML 1.0 cannot carry them at all: a
 * record holding one could not be served as FHIR XML, and a NUL breaks PostgreSQL's text columns.
 * Refused besides: DEL and the C1 controls (U+007F to U+009F, which in Japanese text are always
 * the trace of a wrong decoding), a surrogate without its pair (not a character; JSON can smuggle
 * one in as {@code \\uD800}) and the non-characters U+FFFE and U+FFFF. Everything else, the
 * private-use area included, is data and kept exactly.
 */
public final class TextCharacters {

    private TextCharacters() {
    }

    /** The first refused character, as {@code U+XXXX at position n}, or empty when the text is acceptable. */
    public static Optional<String> firstRefused(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean refused;
            if (Character.isHighSurrogate(c)) {
                refused = i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
                if (!refused) {
                    i++;
                    continue;
                }
            } else {
                refused = isRefused(c);
            }
            if (refused) {
                return Optional.of(String.format("U+%04X at position %d", (int) c, i + 1));
            }
        }
        return Optional.empty();
    }

    private static boolean isRefused(char c) {
        return c < 0x20 && c != '\t' && c != '\n' && c != '\r'
                || c >= 0x7F && c <= 0x9F
                || Character.isLowSurrogate(c)
                || c == 0xFFFE || c == 0xFFFF;
    }
}
