package io.courtier.cli.ctrl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;

/**
 * Turns {@code courtier ctrl dynsec COMMAND ARGS} into the JSON command the broker's
 * {@code $CONTROL/dynamic-security/v1} expects, with mosquitto_ctrl's argument rules: missing
 * arguments are "Invalid function arguments", an unknown command is "not recognised".
 */
final class DynsecRequests {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ACL_TYPES = List.of("publishClientSend", "publishClientReceive",
            "subscribeLiteral", "subscribePattern", "unsubscribeLiteral", "unsubscribePattern");
    private static final List<String> DEFAULT_TYPES = List.of("publishClientSend", "publishClientReceive",
            "subscribe", "unsubscribe");

    /** Asks for a password on the terminal when the command line has none. */
    interface Prompt {
        String password(String username, boolean mayBeEmpty);
    }

    private DynsecRequests() {
    }

    static ObjectNode build(String[] a, Prompt prompt) throws CtrlException {
        String command = a[0];
        String[] args = Arrays.copyOfRange(a, 1, a.length);
        ObjectNode o = JSON.createObjectNode().put("command", command);
        switch (command) {
            case "createClient" -> createClient(o, args, prompt);
            case "deleteClient", "getClient", "enableClient", "disableClient" -> o.put("username", arg(args, 0, 1));
            case "setClientId" -> {
                o.put("username", arg(args, 0, 1));
                if (args.length > 1) {
                    o.put("clientid", args[1]);
                }
            }
            case "setClientPassword" -> {
                String user = arg(args, 0, 1);
                String password = args.length > 1 ? args[1] : prompt.password(user, false);
                if (password == null || password.isEmpty()) {
                    throw new CtrlException("Error: Empty password.", 0);
                }
                o.put("username", user).put("password", password);
            }
            case "addClientRole", "removeClientRole" -> {
                o.put("username", arg(args, 0, 2)).put("rolename", args[1]);
                priority(o, args, 2, command.startsWith("add"));
            }
            case "listClients", "listGroups", "listRoles" -> {
                if (args.length > 0) {
                    o.put("count", atoi(args[0]));
                }
                if (args.length > 1) {
                    o.put("offset", atoi(args[1]));
                }
            }
            case "createGroup", "deleteGroup", "getGroup", "setAnonymousGroup" -> o.put("groupname", arg(args, 0, 1));
            case "getAnonymousGroup", "getDefaultACLAccess" -> {
                // no arguments
            }
            case "addGroupRole", "removeGroupRole" -> {
                o.put("groupname", arg(args, 0, 2)).put("rolename", args[1]);
                priority(o, args, 2, command.startsWith("add"));
            }
            case "addGroupClient", "removeGroupClient" -> {
                o.put("groupname", arg(args, 0, 2)).put("username", args[1]);
                priority(o, args, 2, command.startsWith("add"));
            }
            case "createRole", "deleteRole", "getRole" -> o.put("rolename", arg(args, 0, 1));
            case "addRoleACL" -> {
                o.put("rolename", arg(args, 0, 4));
                o.put("acltype", aclType(args[1], ACL_TYPES)).put("topic", args[2]).put("allow", allow(args[3]));
                if (args.length > 4) {
                    o.put("priority", atoi(args[4]));
                }
            }
            case "removeRoleACL" -> {
                o.put("rolename", arg(args, 0, 3));
                o.put("acltype", aclType(args[1], ACL_TYPES)).put("topic", args[2]);
            }
            case "setDefaultACLAccess" -> {
                arg(args, 0, 2);
                o.putArray("acls").addObject().put("acltype", aclType(args[0], DEFAULT_TYPES))
                        .put("allow", allow(args[1]));
            }
            default -> throw new CtrlException("Command '" + command + "' not recognised.", CtrlException.NOT_RECOGNISED);
        }
        return o;
    }

    private static void createClient(ObjectNode o, String[] args, Prompt prompt) throws CtrlException {
        String user = arg(args, 0, 1);
        String clientid = null;
        String password = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("-c") && i + 1 < args.length) {
                clientid = args[++i];
            } else if (args[i].equals("-p") && i + 1 < args.length) {
                password = args[++i];
            } else {
                throw CtrlException.invalid();
            }
        }
        if (password == null) {
            password = prompt.password(user, true);
        }
        o.put("username", user);
        if (password != null && !password.isEmpty()) {
            o.put("password", password);
        }
        if (clientid != null) {
            o.put("clientid", clientid);
        }
    }

    /** The argument at {@code i}, after checking that at least {@code needed} are there. */
    private static String arg(String[] args, int i, int needed) throws CtrlException {
        if (args.length < needed) {
            throw CtrlException.invalid();
        }
        return args[i];
    }

    private static void priority(ObjectNode o, String[] args, int i, boolean allowed) {
        if (allowed && args.length > i) {
            o.put("priority", atoi(args[i]));
        }
    }

    private static String aclType(String given, List<String> known) throws CtrlException {
        for (String k : known) {
            if (k.equalsIgnoreCase(given)) {
                return k;
            }
        }
        throw CtrlException.invalid();
    }

    private static boolean allow(String word) throws CtrlException {
        return switch (word) {
            case "allow" -> true;
            case "deny" -> false;
            default -> throw CtrlException.invalid();
        };
    }

    /** C's atoi: leading digits (with a sign), 0 when there are none. */
    static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        int start = i;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        while (i < n && Character.isDigit(s.charAt(i))) {
            i++;
        }
        try {
            return i > start ? Integer.parseInt(s.substring(start, i).replace("+", "")) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
