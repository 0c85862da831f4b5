package jp.clinsgateway.consent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The 特定健診 (specified health checkup) items, by their code in MHLW's item code system: what an
 * insurer receives of a checkup it did not run. The list is data ({@code specified-checkup-items.tsv}
 * beside this class), with its legal source and the attribution of the code system in its header.
 */
public final class SpecifiedCheckupItems {

    /** 特定健診検査項目コード第４期 (JLAC10 17-digit item codes), the code system of eCheckup results. */
    public static final String SYSTEM = "urn:oid:1.2.392.200119.6.1005";

    private static final Map<String, String> ITEMS = load();

    private SpecifiedCheckupItems() {
    }

    /** Whether a result coded so is one of the 特定健診 items. */
    public static boolean contains(String system, String code) {
        return SYSTEM.equals(system) && code != null && ITEMS.containsKey(code);
    }

    /** Every item code, with the legal item it serves. */
    public static Map<String, String> all() {
        return ITEMS;
    }

    private static Map<String, String> load() {
        Map<String, String> items = new LinkedHashMap<>();
        try (InputStream in = SpecifiedCheckupItems.class.getResourceAsStream("specified-checkup-items.tsv");
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                items.put(columns[0], columns[2]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(items);
    }
}
