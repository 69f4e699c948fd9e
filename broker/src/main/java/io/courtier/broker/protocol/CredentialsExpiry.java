package io.courtier.broker.protocol;

import io.courtier.codec.ReasonCode;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Credentials that expire (a JWT's {@code exp}): at that moment the client is disconnected, MQTT 5
 * clients with DISCONNECT 0x87 "Not authorized". Its own class so that the connections whose
 * credentials never expire (nearly all) carry nothing for it.
 */
final class CredentialsExpiry {
    private final long validUntilMillis;
    private ScheduledFuture<?> timer;

    CredentialsExpiry(long validUntilMillis) {
        this.validUntilMillis = validUntilMillis;
    }

    /** Starts the clock, once the client is connected. */
    void start(MqttConnection c) {
        long delay = Math.max(0, validUntilMillis - System.currentTimeMillis());
        timer = c.ctx.executor().schedule(() -> {
            if (c.state == MqttConnection.State.CONNECTED) {
                MqttConnection.LOG.info("Client {} disconnected, its credentials expired.", c.clientId);
                Closing.closeWith(c, ReasonCode.NOT_AUTHORIZED, "credentials expired");
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** The connection closed first. */
    void cancel() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
