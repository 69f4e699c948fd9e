package io.courtier.broker.security.dynsec;

import java.util.Comparator;
import java.util.List;

/**
 * A client's or group's link to a role, or a client's to a group: the other side's name and a
 * priority. {@link #UNSET} (-1) is what Mosquitto stores when none was given, and it is then
 * left out of every response and of the file.
 */
record Membership(String name, int priority) {

    static final int UNSET = -1;

    /** Higher priorities first; equal ones keep the order they were added in (a stable sort). */
    static final Comparator<Membership> ORDER = Comparator.comparingInt(Membership::priority).reversed();

    /** Adds or replaces the entry for {@code m.name()}, keeping the list in evaluation order. */
    static void put(List<Membership> list, Membership m) {
        list.removeIf(x -> x.name().equals(m.name()));
        list.add(m);
        list.sort(ORDER);
    }

    static boolean remove(List<Membership> list, String name) {
        return list.removeIf(x -> x.name().equals(name));
    }

    static boolean contains(List<Membership> list, String name) {
        for (Membership m : list) {
            if (m.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
