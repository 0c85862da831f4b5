package jp.clinsgateway.server.names;

import java.util.List;

/**
 * Finds private-use code points in a name: characters an insurer or vendor defined for itself
 * (外字) that have no standard Unicode meaning. They are kept exactly, but a reader elsewhere
 * cannot know what they show, so the submitter is warned.
 */
public final class PrivateUseCharacters {

    private PrivateUseCharacters() {
    }

    /** The private-use code points in the text, as {@code U+XXXX} strings, in order of appearance. */
    public static List<String> in(String text) {
        if (text == null) {
            return List.of();
        }
        return text.codePoints()
                .filter(cp -> Character.getType(cp) == Character.PRIVATE_USE)
                .mapToObj(cp -> String.format("U+%04X", cp))
                .toList();
    }
}
