package jp.clinsgateway.server.submission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemIdentifierTest {

    @Test
    void readsInstitutionYearAndLocalId() {
        ItemIdentifier id = ItemIdentifier.parse("1311234567^2026^C-0001^x").orElseThrow();
        assertEquals("1311234567", id.institutionCode());
        assertEquals("2026", id.year());
        assertEquals("C-0001^x", id.localId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1311234567", "1311234567^26^C1", "131123456^2026^C1", "1341234567^2026^C1",
            "1311234567^2026^", "A311234567^2026^C1"})
    void refusesWhatIsNotTheSharingServiceFormat(String value) {
        assertTrue(ItemIdentifier.parse(value).isEmpty(), value);
    }
}
