package jp.clinsgateway.server.names;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NameSearchKeyTest {

    @ParameterizedTest(name = "{0} and {1} fold to the same key")
    @CsvSource({
            "高橋, 髙橋",
            "山崎, 山﨑",
            "山崎, 山嵜",
            "吉田, 𠮷田",
            "斉藤, 齋藤",
            "斉藤, 齊藤",
            "斉藤, 斎藤",
            "渡辺, 渡邊",
            "渡辺, 渡邉",
            "ヨシダ, よしだ",
            "ﾖｼﾀﾞ, ヨシダ",
            "高橋花子, 髙橋 花子",
            "高橋花子, 髙橋　花子",
    })
    void variantsOfANameShareOneKey(String typed, String stored) {
        assertEquals(NameSearchKey.of(typed), NameSearchKey.of(stored));
    }

    @Test
    void ideographicVariationSequencesFoldToTheirBaseCharacter() {
        String withIvs = "葛\uDB40\uDD00飾"; // 葛 + U+E0100
        assertEquals("葛飾", NameSearchKey.of(withIvs));
    }

    @Test
    void compatibilityIdeographsFoldToTheUnifiedOne() {
        assertEquals(NameSearchKey.of("塚本"), NameSearchKey.of("\uFA10本"));
    }

    @Test
    void differentNamesStayDifferent() {
        assertNotEquals(NameSearchKey.of("高田"), NameSearchKey.of("吉田"));
        assertNotEquals(NameSearchKey.of("斉藤"), NameSearchKey.of("佐藤"));
    }

    @Test
    void privateUseCharactersAreKeptInTheKeyAndReported() {
        String name = "山\uE000子";
        assertEquals(name, NameSearchKey.of(name));
        assertEquals(java.util.List.of("U+E000"), PrivateUseCharacters.in(name));
        assertEquals(java.util.List.of("U+F0001"), PrivateUseCharacters.in("a" + new String(Character.toChars(0xF0001))));
        assertTrue(PrivateUseCharacters.in("𠮷田 太郎").isEmpty());
    }
}
