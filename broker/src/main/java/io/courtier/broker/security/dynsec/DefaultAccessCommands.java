package io.courtier.broker.security.dynsec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Map;

/** setDefaultACLAccess and getDefaultACLAccess: what applies when no role's ACL matches. */
final class DefaultAccessCommands {
    private DefaultAccessCommands() {
    }

    static void register(Map<String, Command> into) {
        into.put("setDefaultACLAccess", DefaultAccessCommands::set);
        into.put("getDefaultACLAccess", DefaultAccessCommands::get);
    }

    private static void set(DynsecData d, JsonNode r, Outcome o) {
        JsonNode acls = Fields.get(r, "acls");
        if (acls == null || !acls.isArray()) {
            o.error("Missing/invalid actions array");
            return;
        }
        for (JsonNode a : acls) {
            String type = Fields.string(a, "acltype");
            Boolean allow = allow(a);
            // Mosquitto skips entries of an unknown kind or without an answer.
            if (type != null && DefaultAccess.index(type) >= 0 && allow != null) {
                d.defaults = d.defaults.with(type, allow);
            }
        }
        o.changed();
    }

    /**
     * {@code "allow": true|false}, as the plugin reads it, or {@code "access": "allow"|"deny"}, which
     * is what mosquitto_ctrl 2.0.11 sends: Mosquitto's plugin ignores that, so the tool's
     * setDefaultACLAccess does nothing there; here it works.
     */
    private static Boolean allow(JsonNode a) {
        JsonNode allow = Fields.get(a, "allow");
        if (allow != null && allow.isBoolean()) {
            return allow.booleanValue();
        }
        String access = Fields.string(a, "access");
        if ("allow".equals(access) || "deny".equals(access)) {
            return access.equals("allow");
        }
        return null;
    }

    private static void get(DynsecData d, JsonNode r, Outcome o) {
        ArrayNode acls = o.data().putArray("acls");
        for (int i = 0; i < DefaultAccess.NAMES.length; i++) {
            acls.addObject().put("acltype", DefaultAccess.NAMES[i]).put("allow", d.defaults.get(i));
        }
    }
}
