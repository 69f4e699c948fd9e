package io.courtier.broker.protocol;

/**
 * The keep-alive deadline: a server closes a connection that has sent nothing for one and a
 * half times the keep-alive the client announced [MQTT-3.1.2-24]. A keep-alive of 0 turns the
 * mechanism off.
 */
final class KeepAlive {
    private KeepAlive() {
    }

    /** Milliseconds of silence after which the connection is closed; 0 = never. */
    static long timeoutMillis(int keepAliveSeconds) {
        return keepAliveSeconds <= 0 ? 0 : keepAliveSeconds * 1500L;
    }
}
