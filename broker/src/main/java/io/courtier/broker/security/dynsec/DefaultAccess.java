package io.courtier.broker.security.dynsec;

/**
 * What is decided when no role's ACL matches: Mosquitto's defaults deny publishing and
 * subscribing and allow receiving and unsubscribing.
 */
record DefaultAccess(boolean publishClientSend, boolean publishClientReceive, boolean subscribe,
                     boolean unsubscribe) {

    static final DefaultAccess MOSQUITTO = new DefaultAccess(false, true, false, true);

    /** The names setDefaultACLAccess and the file use, in Mosquitto's order. */
    static final String[] NAMES = {"publishClientSend", "publishClientReceive", "subscribe", "unsubscribe"};

    boolean get(int i) {
        return switch (i) {
            case 0 -> publishClientSend;
            case 1 -> publishClientReceive;
            case 2 -> subscribe;
            default -> unsubscribe;
        };
    }

    /** A copy with one setting changed; {@code name} must be one of {@link #NAMES} (any case). */
    DefaultAccess with(String name, boolean allow) {
        boolean[] v = {publishClientSend, publishClientReceive, subscribe, unsubscribe};
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equalsIgnoreCase(name)) {
                v[i] = allow;
            }
        }
        return new DefaultAccess(v[0], v[1], v[2], v[3]);
    }

    static int index(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}
