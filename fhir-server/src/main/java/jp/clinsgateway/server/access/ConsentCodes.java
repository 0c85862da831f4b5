package jp.clinsgateway.server.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One-time consent codes: the patient has one issued in the portal for one institution and shows
 * it at that institution's reception; the institution sends it with the Consent it records, which
 * proves the patient was there (as the national service's card reader does with card and face).
 * A code is single use, bound to one patient and one institution, and expires after a few minutes.
 * Only its hash is stored; spending it is one conditional update inside the consent write's
 * transaction, so two nodes can never both accept it and a refused write leaves it unspent.
 */
@Component
class ConsentCodes {

    /** @param lifetime how long a code can be used after it is issued */
    @ConfigurationProperties(prefix = "gateway.consent.code")
    record Properties(@DefaultValue("10m") Duration lifetime) {
    }

    /** A code as issued. */
    record Issued(String code, String institution, Instant expires) {
    }

    /** Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not mistaken. */
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int LENGTH = 8;

    private final JdbcTemplate jdbc;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();

    ConsentCodes(DataSource dataSource, Properties properties) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.lifetime = properties.lifetime();
    }

    Issued issue(String patient, String institution) {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        Instant expires = Instant.now().plus(lifetime);
        jdbc.update("insert into gateway_consent_code (code_hash, patient, institution, expires) values (?, ?, ?, ?)",
                hash(code.toString()), patient, institution, Timestamp.from(expires));
        return new Issued(code.substring(0, 4) + "-" + code.substring(4), institution, expires);
    }

    /** Spends the code if it was issued by this patient for this institution, unused and unexpired. */
    boolean spend(String code, String patient, String institution) {
        Instant now = Instant.now();
        return jdbc.update("update gateway_consent_code set spent = ? where code_hash = ? and patient = ? and institution = ?"
                        + " and spent is null and expires > ?",
                Timestamp.from(now), hash(code), patient, institution, Timestamp.from(now)) == 1;
    }

    /** Hyphens, spaces and case do not matter; full-width characters are read as their ASCII forms. */
    private static String hash(String code) {
        String normal = java.text.Normalizer.normalize(code, java.text.Normalizer.Form.NFKC)
                .replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT).replace('O', '0').replace('I', '1').replace('L', '1');
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
