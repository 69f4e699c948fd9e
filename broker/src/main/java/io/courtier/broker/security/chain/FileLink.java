package io.courtier.broker.security.chain;

import io.courtier.broker.security.AclFile;
import io.courtier.broker.security.PasswordFile;
import io.courtier.plugin.Access;
import io.courtier.plugin.ClientInfo;
import io.courtier.plugin.Decision;
import java.util.concurrent.CompletableFuture;

/**
 * The password and ACL files as the chain's first link. A user in the password file is allowed
 * or denied by it; a user it does not list, or a file that is not set, defers to the next link.
 * An anonymous client is allowed here under {@code allow_anonymous true} and deferred otherwise.
 * The ACL file allows what it grants and defers the rest: a backend may still grant it, and
 * when none does the chain denies, as Mosquitto's file ACL would have.
 */
public final class FileLink implements AuthLink {

    private final boolean allowAnonymous;
    private final PasswordFile passwords;
    private final AclFile acl;

    /** {@code passwords}, {@code acl}: null when not set. */
    public FileLink(boolean allowAnonymous, PasswordFile passwords, AclFile acl) {
        this.allowAnonymous = allowAnonymous;
        this.passwords = passwords;
        this.acl = acl;
    }

    @Override
    public String name() {
        return "password file";
    }

    @Override
    public CompletableFuture<Decision> authenticate(ClientInfo client, byte[] password) {
        String user = client.username();
        if (user == null) {
            return CompletableFuture.completedFuture(allowAnonymous ? Decision.ALLOW : Decision.DEFER);
        }
        if (passwords == null || !passwords.contains(user)) {
            return CompletableFuture.completedFuture(Decision.DEFER);
        }
        // A slow hash makes the chain slow (isSlow): LoginGate then calls it from a worker.
        return CompletableFuture.completedFuture(passwords.check(user, password) ? Decision.ALLOW : Decision.DENY);
    }

    @Override
    public boolean isSlow(String username) {
        return username != null && passwords != null && passwords.isSlow(username);
    }

    @Override
    public CompletableFuture<Decision> authorise(ClientInfo client, Access access, String topic) {
        return CompletableFuture.completedFuture(authoriseNow(client, access, topic));
    }

    @Override
    public Decision authoriseNow(ClientInfo client, Access access, String topic) {
        if (acl == null) {
            return Decision.DEFER;
        }
        boolean granted = switch (access) {
            case WRITE -> acl.canPublish(client.clientId(), client.username(), topic);
            case READ -> acl.canReceive(client.clientId(), client.username(), topic);
            case SUBSCRIBE -> acl.canSubscribe(client.clientId(), client.username(), topic);
        };
        return granted ? Decision.ALLOW : Decision.DEFER;
    }
}
