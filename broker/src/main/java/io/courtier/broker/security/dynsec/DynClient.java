package io.courtier.broker.security.dynsec;

import java.util.ArrayList;
import java.util.List;

/** A client of the plugin: who may log in (by user name), with which roles and groups. Guarded by {@link DynsecData}. */
final class DynClient {
    final String username;
    /** Null: any client id may use this user name. */
    String clientid;
    String textname;
    String textdescription;
    boolean disabled;
    /** Null: no password, so nobody can log in as this client. */
    Credentials password;
    final List<Membership> roles = new ArrayList<>();
    final List<Membership> groups = new ArrayList<>();

    DynClient(String username) {
        this.username = username;
    }
}
