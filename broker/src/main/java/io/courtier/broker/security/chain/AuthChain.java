package io.courtier.broker.security.chain;

import io.courtier.broker.security.AuthResult;
import io.courtier.broker.security.Authenticator;
import io.courtier.broker.security.Authorizer;
import io.courtier.plugin.Access;
import io.courtier.plugin.ClientInfo;
import io.courtier.plugin.Decision;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The links of one listener in their documented order — password/ACL files, dynamic security
 * (when present), Java plugins in configuration order, go-auth backends in
 * {@code auth_opt_backends} order — consulted with Mosquitto's semantics: the first link that
 * allows or denies decides, a link that defers passes to the next, and when every link defers
 * the answer is no. Nothing here blocks: links answer with futures, and a link that knows the
 * answer at once ({@link AuthLink#authoriseNow}) keeps an ACL check on the event loop.
 */
public final class AuthChain implements Authenticator, Authorizer {

    private final List<AuthLink> links;
    private final boolean observesMessages;
    /** Which link allowed a client id's login, until {@link #validUntilMillis} is asked. */
    private final java.util.Map<String, AuthLink> allowedBy = new java.util.concurrent.ConcurrentHashMap<>();

    public AuthChain(List<AuthLink> links) {
        this.links = List.copyOf(links);
        this.observesMessages = links.stream().anyMatch(AuthLink::observesMessages);
    }

    public List<AuthLink> links() {
        return links;
    }

    // ---- authentication ------------------------------------------------------------------

    /**
     * Whether a link works on the calling thread for long (a slow password hash): LoginGate then
     * runs the chain on one of its workers, within its bounds per listener and address. Links
     * that wait on the network (HTTP) or on their own threads (plugins) answer with futures, so
     * a login through them costs the event loop only the asking.
     */
    @Override
    public boolean isSlow(String username) {
        for (AuthLink l : links) {
            if (l.isSlow(username)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CompletableFuture<AuthResult> authenticateAsync(String clientId, String username, byte[] password) {
        return authenticateFrom(0, new ClientInfo(clientId, username, null), password);
    }

    private CompletableFuture<AuthResult> authenticateFrom(int i, ClientInfo client, byte[] password) {
        if (i == links.size()) {
            return CompletableFuture.completedFuture(AuthResult.NOT_AUTHORIZED); // every link deferred
        }
        AuthLink link = links.get(i);
        CompletableFuture<Decision> answer;
        try {
            answer = link.authenticate(client, password);
        } catch (RuntimeException e) {
            answer = CompletableFuture.completedFuture(Decision.DENY);
        }
        return answer.exceptionally(e -> Decision.DENY).thenCompose(d -> switch (d) {
            case ALLOW -> {
                if (client.clientId() != null) {
                    allowedBy.put(client.clientId(), link);
                }
                yield CompletableFuture.completedFuture(AuthResult.ACCEPTED);
            }
            case DENY -> CompletableFuture.completedFuture(AuthResult.NOT_AUTHORIZED);
            case DEFER -> authenticateFrom(i + 1, client, password);
        });
    }

    /** Waits for the chain: for callers off the event loops only (LoginGate uses the async form). */
    @Override
    public AuthResult authenticate(String clientId, String username, byte[] password) {
        return authenticateAsync(clientId, username, password).join();
    }

    /**
     * When the client's credentials stop being valid (a JWT's {@code exp}), epoch millis; 0 when
     * they do not expire. Asked once, right after the chain accepted the client: the answer is the
     * link's that allowed it (a JWT accepted earlier for the same client id does not count).
     */
    public long validUntilMillis(String clientId) {
        AuthLink link = allowedBy.remove(clientId);
        return link == null ? 0 : link.validUntilMillis(new ClientInfo(clientId, null, null));
    }

    // ---- authorisation -------------------------------------------------------------------

    /** Links may have to be asked: callers use {@link #decideNow} and {@link #decide}. */
    @Override
    public boolean isAsync() {
        return true;
    }

    @Override
    public Boolean decideNow(Access access, String clientId, String username, String topic) {
        ClientInfo client = new ClientInfo(clientId, username, null);
        for (AuthLink link : links) {
            Decision d = link.authoriseNow(client, access, topic);
            if (d == null) {
                return null;
            }
            if (d != Decision.DEFER) {
                return d == Decision.ALLOW;
            }
        }
        return false;
    }

    @Override
    public CompletableFuture<Boolean> decide(Access access, String clientId, String username, String topic) {
        return decideFrom(0, new ClientInfo(clientId, username, null), access, topic);
    }

    private CompletableFuture<Boolean> decideFrom(int i, ClientInfo client, Access access, String topic) {
        if (i == links.size()) {
            return CompletableFuture.completedFuture(false);
        }
        AuthLink link = links.get(i);
        Decision now = link.authoriseNow(client, access, topic);
        CompletableFuture<Decision> answer = now != null ? CompletableFuture.completedFuture(now)
                : link.authorise(client, access, topic).exceptionally(e -> Decision.DENY);
        return answer.thenCompose(d -> d == Decision.DEFER ? decideFrom(i + 1, client, access, topic)
                : CompletableFuture.completedFuture(d == Decision.ALLOW));
    }

    /** A synchronous answer for callers that cannot wait: what is known now, else a wait off the loops. */
    private boolean decideBlocking(Access access, String clientId, String username, String topic) {
        Boolean now = decideNow(access, clientId, username, topic);
        return now != null ? now : decide(access, clientId, username, topic).join();
    }

    @Override
    public boolean canPublish(String clientId, String username, String topic) {
        return decideBlocking(Access.WRITE, clientId, username, topic);
    }

    @Override
    public boolean canSubscribe(String clientId, String username, String filter) {
        return decideBlocking(Access.SUBSCRIBE, clientId, username, filter);
    }

    @Override
    public boolean canReceive(String clientId, String username, String topic) {
        return decideBlocking(Access.READ, clientId, username, topic);
    }

    // ---- events --------------------------------------------------------------------------

    public void connected(ClientInfo client) {
        links.forEach(l -> l.connected(client));
    }

    public void disconnected(ClientInfo client) {
        links.forEach(l -> l.disconnected(client));
    }

    public boolean observesMessages() {
        return observesMessages;
    }

    public void published(ClientInfo client, String topic, byte[] payload, int qos, boolean retain) {
        for (AuthLink l : links) {
            if (l.observesMessages()) {
                l.published(client, topic, payload, qos, retain);
            }
        }
    }
}
