package io.courtier.cli.ctrl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/**
 * Prints one response of the broker as mosquitto_ctrl prints it: errors as
 * {@code COMMAND: Error: TEXT} on stderr, the data of {@code get*}/{@code list*} in its layout
 * on stdout (labels padded to a column, one role, group or ACL a line), nothing for a change
 * that succeeded.
 */
final class DynsecPrinter {
    private DynsecPrinter() {
    }

    static void print(JsonNode response, PrintStream out, PrintStream err) {
        String command = response.path("command").asText();
        if (response.has("error")) {
            err.println(command + ": Error: " + response.path("error").asText());
            return;
        }
        JsonNode data = response.path("data");
        switch (command) {
            case "getClient" -> client(data.path("client"), out);
            case "getGroup" -> group(data.path("group"), out);
            case "getRole" -> role(data.path("role"), out);
            case "listClients" -> names(data.path("clients"), "username", out);
            case "listGroups" -> names(data.path("groups"), "groupname", out);
            case "listRoles" -> names(data.path("roles"), "rolename", out);
            case "getAnonymousGroup" -> out.println(data.path("group").path("groupname").asText());
            case "getDefaultACLAccess" -> {
                for (JsonNode a : data.path("acls")) {
                    out.printf("%-20s : %s%n", a.path("acltype").asText(), a.path("allow").asBoolean() ? "allow" : "deny");
                }
            }
            default -> {
                // a change: nothing to print
            }
        }
    }

    private static void client(JsonNode c, PrintStream out) {
        out.println("Username: " + c.path("username").asText());
        out.println(c.hasNonNull("clientid") ? "Clientid: " + c.path("clientid").asText() : "Clientid:");
        if (c.path("disabled").asBoolean(false)) {
            out.println("Disabled: true");
        }
        list(out, "Roles:    ", c.path("roles"), "rolename", true);
        list(out, "Groups:   ", c.path("groups"), "groupname", true);
    }

    private static void group(JsonNode g, PrintStream out) {
        out.println("Groupname: " + g.path("groupname").asText());
        list(out, "Roles:     ", g.path("roles"), "rolename", true);
        list(out, "Clients:   ", g.path("clients"), "username", false);
    }

    private static void role(JsonNode r, PrintStream out) {
        out.println("Rolename: " + r.path("rolename").asText());
        String label = "ACLs:     ";
        for (JsonNode a : r.path("acls")) {
            out.printf("%s%-20s : %-5s : %s (priority: %d)%n", label, a.path("acltype").asText(),
                    a.path("allow").asBoolean() ? "allow" : "deny", a.path("topic").asText(),
                    a.path("priority").asInt(0));
            label = " ".repeat(label.length());
        }
    }

    /** A labelled list, later lines indented under the first; priorities shown as Mosquitto does (-1 when unset). */
    private static void list(PrintStream out, String label, JsonNode items, String key, boolean withPriority) {
        for (JsonNode m : items) {
            out.print(label + m.path(key).asText());
            if (withPriority) {
                out.print(" (priority: " + m.path("priority").asInt(-1) + ")");
            }
            out.println();
            label = " ".repeat(label.length());
        }
    }

    private static void names(JsonNode list, String key, PrintStream out) {
        for (JsonNode n : list) {
            out.println(n.isTextual() ? n.asText() : n.path(key).asText());
        }
    }
}
