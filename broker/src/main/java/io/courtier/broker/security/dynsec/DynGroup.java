package io.courtier.broker.security.dynsec;

import java.util.ArrayList;
import java.util.List;

/** A group: roles its clients share. Its client list mirrors each client's {@code groups}. */
final class DynGroup {
    final String groupname;
    String textname;
    String textdescription;
    final List<Membership> roles = new ArrayList<>();
    /** Members in the order they joined; the priority is the group's for that client. */
    final List<Membership> clients = new ArrayList<>();

    DynGroup(String groupname) {
        this.groupname = groupname;
    }
}
