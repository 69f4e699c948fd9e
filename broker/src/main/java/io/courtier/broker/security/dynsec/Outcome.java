package io.courtier.broker.security.dynsec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One command's answer ({@code {"command": ..., "error"|"data": ...}}) and what it changed:
 * whether the file must be saved, and which connected clients must be disconnected so that
 * a change to who they are (password, client id, roles, groups) takes effect, as Mosquitto
 * 2.0's plugin does. ACL changes need no disconnection: they are read at each check.
 */
final class Outcome {
    final ObjectNode response;
    boolean changed;
    final Set<String> kickUsers = new LinkedHashSet<>();
    boolean kickAnonymous;

    Outcome(ObjectNode response) {
        this.response = response;
    }

    /** Records Mosquitto's error string for this command; returns nothing so handlers can {@code return}. */
    void error(String message) {
        response.put("error", message);
    }

    boolean failed() {
        return response.has("error");
    }

    ObjectNode data() {
        return response.putObject("data");
    }

    void changed() {
        changed = true;
    }

    /** The clients of a group: each is disconnected; the anonymous group's change reaches anonymous clients. */
    void kickGroup(DynsecData d, DynGroup g) {
        for (Membership m : g.clients) {
            kickUsers.add(m.name());
        }
        if (g.groupname.equals(d.anonymousGroup)) {
            kickAnonymous = true;
        }
    }
}
