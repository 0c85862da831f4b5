package jp.clinsgateway.server.input;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextCharactersTest {

    @ParameterizedTest
    @ValueSource(strings = {"髙橋 𠮷田", "経過観察\n再診\r\n\t以上", "\uE000外字", "ｱｲｳ①", "O'Brien-Smith", ""})
    void japaneseTextSurrogatePairsPrivateUseAndFhirWhitespaceAreKept(String text) {
        assertEquals(java.util.Optional.empty(), TextCharacters.firstRefused(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"試\u0000験", "\u0007", "a\u001b[31m", "\u007f", "\u0085", "\u009f", "\ud842", "x\udfb7", "\ufffe", "\uffff"})
    void controlsBrokenSurrogatesAndNonCharactersAreRefused(String text) {
        assertTrue(TextCharacters.firstRefused(text).isPresent(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "123.45", "-999999999999999", "0.000000000000001", "1.50000000000000000000"})
    void decimalsTheIndexCanHoldAreStorable(String decimal) {
        assertTrue(ResourceLimits.isStorableDecimal(decimal), decimal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "1e999999", "1e-400", "9999999999999999", "0.0000000000000001", "abc", "", "1e9999999999"})
    void decimalsBeyondTheIndexOrNotNumbersAreNot(String decimal) {
        assertTrue(!ResourceLimits.isStorableDecimal(decimal), decimal);
    }
}
