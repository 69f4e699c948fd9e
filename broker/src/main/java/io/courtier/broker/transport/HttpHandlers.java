package io.courtier.broker.transport;

import io.courtier.broker.config.ListenerConfig;
import io.netty.channel.ChannelHandler;

/**
 * Answers the plain HTTP requests (not WebSocket upgrades) that arrive on a {@code websockets}
 * or {@code http} listener. The handler receives aggregated {@code FullHttpRequest}s and owns
 * their replies; the transport only frames. Supplied by the web room.
 */
@FunctionalInterface
public interface HttpHandlers {

    /** A handler for one new connection on the listener (a shared one if it is @Sharable). */
    ChannelHandler newHandler(ListenerConfig listener);

    /** Every plain request gets 404: a websockets listener without http_dir. */
    HttpHandlers NOT_FOUND = listener -> NotFoundHandler.INSTANCE;
}
