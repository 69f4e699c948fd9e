package io.courtier.broker.session;

import io.courtier.broker.model.Message;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.codec.Properties;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** A session on its own event loop, and messages for it: the session's parts tested without a broker. */
final class SessionFixture implements AutoCloseable {

    final DefaultEventLoop loop = new DefaultEventLoop();
    final BrokerStats stats = new BrokerStats();

    Session session(String clientId, long expiryInterval, SessionLimits limits) {
        return new Session(clientId, expiryInterval, limits, stats, loop);
    }

    /** Runs on the session's loop and returns what it returned: sessions are only touched there. */
    <T> T onLoop(Callable<T> work) {
        try {
            return loop.submit(work).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void onLoop(Runnable work) {
        onLoop(() -> {
            work.run();
            return null;
        });
    }

    static Message message(String topic, int qos, String payload) {
        return new Message(topic, qos, false, Properties.NONE,
                Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8), "publisher");
    }

    @Override
    public void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
