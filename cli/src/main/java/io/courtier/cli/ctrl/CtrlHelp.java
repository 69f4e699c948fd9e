package io.courtier.cli.ctrl;

/** The texts {@code courtier ctrl} prints for help and after {@code dynsec init}. */
final class CtrlHelp {
    private CtrlHelp() {
    }

    static String general() {
        return """
                courtier ctrl administers a running broker, with mosquitto_ctrl's options and commands.

                Usage: courtier ctrl [-h host] [-p port] [-u username] [-P password] [-i client-id]
                                     [--cafile file | --capath dir] [--cert file --key file]
                                     [--insecure] [--tls-version version]  MODULE COMMAND [ARGS]

                Modules: dynsec (courtier ctrl dynsec help)
                """;
    }

    static String dynsec() {
        return """
                Dynamic security (the broker needs: plugin .../mosquitto_dynamic_security.so and plugin_opt_config_file)

                New file with an administrator:  init FILE ADMIN-USERNAME [ADMIN-PASSWORD]

                Default access and anonymous clients:
                    getDefaultACLAccess
                    setDefaultACLAccess  publishClientSend|publishClientReceive|subscribe|unsubscribe allow|deny
                    getAnonymousGroup
                    setAnonymousGroup    GROUPNAME

                Clients:
                    createClient      USERNAME [-c CLIENTID] [-p PASSWORD]
                    deleteClient      USERNAME
                    setClientPassword USERNAME [PASSWORD]
                    setClientId       USERNAME [CLIENTID]
                    addClientRole     USERNAME ROLENAME [PRIORITY]
                    removeClientRole  USERNAME ROLENAME
                    getClient         USERNAME
                    listClients       [COUNT [OFFSET]]
                    enableClient      USERNAME
                    disableClient     USERNAME

                Groups:
                    createGroup       GROUPNAME
                    deleteGroup       GROUPNAME
                    addGroupRole      GROUPNAME ROLENAME [PRIORITY]
                    removeGroupRole   GROUPNAME ROLENAME
                    addGroupClient    GROUPNAME USERNAME [PRIORITY]
                    removeGroupClient GROUPNAME USERNAME
                    getGroup          GROUPNAME
                    listGroups        [COUNT [OFFSET]]

                Roles:
                    createRole        ROLENAME
                    deleteRole        ROLENAME
                    addRoleACL        ROLENAME ACLTYPE TOPIC allow|deny [PRIORITY]
                    removeRoleACL     ROLENAME ACLTYPE TOPIC
                    getRole           ROLENAME
                    listRoles         [COUNT [OFFSET]]

                ACLTYPE: publishClientSend, publishClientReceive, subscribeLiteral, subscribePattern,
                         unsubscribeLiteral, unsubscribePattern. Higher priorities are checked first.
                """;
    }

    static String afterInit() {
        return """
                It may administer dynamic security (the $CONTROL/dynamic-security/# topics) and read everything,
                but publish nothing else. Create the clients your devices use with it, for example:
                   courtier ctrl -u ADMIN -P PASSWORD dynsec createClient USERNAME
                   courtier ctrl -u ADMIN -P PASSWORD dynsec createRole ROLENAME
                   courtier ctrl -u ADMIN -P PASSWORD dynsec addRoleACL ROLENAME publishClientSend my/topic allow
                   courtier ctrl -u ADMIN -P PASSWORD dynsec addClientRole USERNAME ROLENAME
                """;
    }
}
