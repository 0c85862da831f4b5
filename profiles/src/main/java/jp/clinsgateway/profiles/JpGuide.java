package jp.clinsgateway.profiles;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three JP guides whose packages the gateway holds, and which of their versions it accepts in a
 * versioned profile declaration ({@code meta.profile} {@code url|version}).
 *
 * <p>Only the held packages are on the registries we reach (JP-CLINS 1.5.2, JP Core 1.1.2,
 * eCheckupReport 1.0.0-temp), while EMRs build to the newest guide. A declared version of the same
 * family is validated against the held definition of that canonical URL, with the documented changes
 * since reconciled ({@link GuideReconciliation}); a version outside the family is an error naming the
 * accepted ones. The family of a guide is the range its profiles kept their canonical URLs and
 * shapes over: JP-CLINS 1.5.2 to 1.13.x, JP Core 1.1.x to 1.2.x, eCheckupReport 1.0.x to 1.4.x. A
 * pre-release of a version in range ({@code 1.13.0-preR1}, the published drafts) counts as that
 * version. Older versions (JP-CLINS before 1.5.2: profile versions were not published) and newer
 * majors or minors (2.0.0, 1.14.0) are not the shapes we can judge, so they are refused.
 */
public enum JpGuide {
    JP_CLINS("JP-CLINS", "jp-clins-1.5.2", "1.5.2", 1, 5, 2, 13),
    JP_CORE("JP Core", "jp-core-1.1.2", "1.1.2", 1, 1, 0, 2),
    ECHECKUP_REPORT("eCheckupReport", "jp-echeckupreport-1.0.0-temp", "1.0.0-temp", 1, 0, 0, 4);

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:-[0-9A-Za-z.-]+)?");

    private final String title;
    private final String folder;
    private final String heldVersion;
    private final int major;
    private final int firstMinor;
    private final int firstPatch;
    private final int lastMinor;

    JpGuide(String title, String folder, String heldVersion, int major, int firstMinor, int firstPatch, int lastMinor) {
        this.title = title;
        this.folder = folder;
        this.heldVersion = heldVersion;
        this.major = major;
        this.firstMinor = firstMinor;
        this.firstPatch = firstPatch;
        this.lastMinor = lastMinor;
    }

    /** The guide's name as its publisher writes it. */
    public String title() {
        return title;
    }

    /** The version of the package the gateway holds and validates with. */
    public String heldVersion() {
        return heldVersion;
    }

    /** e.g. "JP-CLINS 1.5.2". */
    public String held() {
        return title + " " + heldVersion;
    }

    /** The accepted versions in words, e.g. "1.5.2 to 1.13.x". */
    public String acceptedVersions() {
        return major + "." + firstMinor + "." + firstPatch + " to " + major + "." + lastMinor + ".x";
    }

    /** Whether a declared version belongs to the family validated against the held package. */
    public boolean accepts(String version) {
        Matcher m = VERSION.matcher(version == null ? "" : version);
        if (!m.matches()) {
            return false;
        }
        int declaredMajor = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        if (declaredMajor != major || minor > lastMinor || minor < firstMinor) {
            return false;
        }
        return minor > firstMinor || patch >= firstPatch;
    }

    /** The guide whose package lives in this folder of {@code jp-fhir/}. */
    static Optional<JpGuide> ofFolder(String folderName) {
        for (JpGuide guide : values()) {
            if (guide.folder.equals(folderName)) {
                return Optional.of(guide);
            }
        }
        return Optional.empty();
    }

    String folder() {
        return folder;
    }
}
