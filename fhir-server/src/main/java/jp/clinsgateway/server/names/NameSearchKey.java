package jp.clinsgateway.server.names;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;

/**
 * Folds a name into the key a name search compares, so that 高橋 finds 髙橋, 山崎 finds 山﨑 and
 * 吉田 finds 𠮷田. The key is for matching only: names themselves are stored and returned exactly
 * as submitted, every code point and variation sequence kept.
 *
 * <p>Folding: NFKC (compatibility ideographs and half-width kana to their standard forms), then
 * drop variation selectors and white space, then map each kanji variant to its group's
 * representative ({@code names/name-variants.txt}), then katakana to hiragana so that kana
 * names match in either script.
 */
public final class NameSearchKey {

    private static final Map<Integer, Integer> VARIANT_TO_REPRESENTATIVE = loadVariants();

    private NameSearchKey() {
    }

    public static String of(String name) {
        if (name == null) {
            return "";
        }
        String normalized = Normalizer.normalize(name, Normalizer.Form.NFKC);
        StringBuilder key = new StringBuilder(normalized.length());
        normalized.codePoints()
                .filter(cp -> !isVariationSelector(cp) && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp))
                .map(cp -> VARIANT_TO_REPRESENTATIVE.getOrDefault(cp, cp))
                .map(NameSearchKey::katakanaToHiragana)
                .forEach(key::appendCodePoint);
        return key.toString();
    }

    static boolean isVariationSelector(int codePoint) {
        return (codePoint >= 0xFE00 && codePoint <= 0xFE0F) || (codePoint >= 0xE0100 && codePoint <= 0xE01EF);
    }

    private static int katakanaToHiragana(int codePoint) {
        // ァ (U+30A1) .. ヶ (U+30F6) sit exactly 0x60 above ぁ .. ゖ.
        return codePoint >= 0x30A1 && codePoint <= 0x30F6 ? codePoint - 0x60 : codePoint;
    }

    private static Map<Integer, Integer> loadVariants() {
        Map<Integer, Integer> map = new HashMap<>();
        try (InputStream in = NameSearchKey.class.getClassLoader().getResourceAsStream("names/name-variants.txt")) {
            if (in == null) {
                throw new IllegalStateException("names/name-variants.txt is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] group = line.strip().split("\\s+");
                int representative = group[0].codePointAt(0);
                for (String variant : group) {
                    map.put(variant.codePointAt(0), representative);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(map);
    }
}
