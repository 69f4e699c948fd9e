package io.courtier.broker.config;

import java.util.Comparator;

/**
 * The order Mosquitto reads {@code include_dir} files in (its man page and Debian's 2.0.11
 * agree): alphabetical ignoring case, and where two names differ only by case at a position,
 * the upper-case letter first. So {@code 00.conf, 01.conf, A.conf, a.conf, B.conf, b.conf}.
 */
final class IncludeOrder implements Comparator<String> {

    static final IncludeOrder INSTANCE = new IncludeOrder();

    @Override
    public int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            int folded = Character.compare(upper(x), upper(y));
            if (folded != 0) {
                return folded;
            }
            if (x != y) {
                return Character.compare(x, y); // 'A' (65) sorts before 'a' (97)
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** ASCII upper case only, as C's toupper in the "C" locale. */
    private static char upper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }
}
