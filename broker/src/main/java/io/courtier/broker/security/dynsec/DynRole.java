package io.courtier.broker.security.dynsec;

import java.util.ArrayList;
import java.util.List;

/** A role: a list of ACLs, kept in {@link Acl#ORDER}. */
final class DynRole {
    final String rolename;
    String textname;
    String textdescription;
    final List<Acl> acls = new ArrayList<>();

    DynRole(String rolename) {
        this.rolename = rolename;
    }

    void addAcl(Acl acl) {
        acls.add(acl);
        acls.sort(Acl.ORDER);
    }
}
