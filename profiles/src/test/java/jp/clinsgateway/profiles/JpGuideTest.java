package jp.clinsgateway.profiles;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which declared versions the gateway validates against the packages it holds. */
class JpGuideTest {

    @ParameterizedTest(name = "JP-CLINS {0} is validated against 1.5.2")
    @ValueSource(strings = {"1.5.2", "1.5.3", "1.5.5", "1.6.0", "1.9.0", "1.10.0", "1.11.0", "1.12.0-preR1", "1.13.0-preR1", "1.13.4"})
    void jpClinsFrom152To113IsOneFamily(String version) {
        assertTrue(JpGuide.JP_CLINS.accepts(version));
    }

    @ParameterizedTest(name = "JP-CLINS {0} is refused")
    @ValueSource(strings = {"1.5.1", "1.4.1", "1.0.0", "1.14.0", "2.0.0", "2.0", "1", "latest", "", "1.11.0 "})
    void everyOtherJpClinsVersionIsRefused(String version) {
        assertFalse(JpGuide.JP_CLINS.accepts(version));
    }

    @ParameterizedTest(name = "JP Core {0} is validated against 1.1.2")
    @ValueSource(strings = {"1.1.0", "1.1.2", "1.2.0", "1.2.1-draft"})
    void jpCore11To12IsOneFamily(String version) {
        assertTrue(JpGuide.JP_CORE.accepts(version));
    }

    @ParameterizedTest(name = "JP Core {0} is refused")
    @ValueSource(strings = {"1.0.9", "1.3.0", "2.0.0"})
    void otherJpCoreVersionsAreRefused(String version) {
        assertFalse(JpGuide.JP_CORE.accepts(version));
    }

    @ParameterizedTest(name = "eCheckupReport {0} is validated against 1.0.0-temp")
    @ValueSource(strings = {"1.0.0", "1.1.3", "1.4.0"})
    void eCheckupReport10To14IsOneFamily(String version) {
        assertTrue(JpGuide.ECHECKUP_REPORT.accepts(version));
    }

    @ParameterizedTest(name = "eCheckupReport {0} is refused")
    @ValueSource(strings = {"1.5.0", "2.0.0", "0.9.0"})
    void otherCheckupVersionsAreRefused(String version) {
        assertFalse(JpGuide.ECHECKUP_REPORT.accepts(version));
    }
}
