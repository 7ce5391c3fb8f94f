package io.netplane.events.validate;

/**
 * A value as an error message may echo it: control characters escaped and long values cut, so a
 * refusal of a 1 MB name is a short message and a newline cannot forge a second line of it.
 */
public final class Shown {

    private static final int MAX = 64;

    private Shown() {
    }

    public static String of(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < value.length() && shown < MAX; i = value.offsetByCodePoints(i, 1), shown++) {
            int cp = value.codePointAt(i);
            if (cp == '\n') {
                out.append("\\n");
            } else if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }
        if (value.codePointCount(0, value.length()) > MAX) {
            out.append("...");
        }
        return out.toString();
    }
}
