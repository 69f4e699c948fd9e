package io.courtier.bench;

import io.courtier.broker.routing.Congestion;
import io.courtier.broker.routing.Router;
import io.courtier.broker.model.Subscriber;
import io.courtier.broker.routing.TopicTree;
import io.courtier.broker.session.ClientLink;
import io.courtier.broker.model.Message;
import io.courtier.broker.session.Session;
import io.courtier.broker.session.SessionLimits;
import io.courtier.broker.session.SessionRegistry;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.codec.MqttEncoder;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One QoS 0 message routed to 1 and to 1,000 online subscribers: topic-tree match, per-client
 * collapse, session delivery and encoding into each subscriber's outbound buffer. The sessions
 * live on an embedded event loop, so delivery runs inline and only the broker's own work is timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RouteBench {

    @Param({"1", "1000"})
    public int subscribers;

    private Router router;
    /** As a publishing connection has one: routing notes backed-up subscribers in it. */
    private final Congestion congestion = new Congestion();
    private Message message;

    /** Stands where a connection would: encodes each packet, as the channel's encoder does, and drops it. */
    private static final class EncodingLink implements ClientLink {
        @Override
        public void send(MqttPacket packet) {
            ByteBuf out = MqttEncoder.encode(PooledByteBufAllocator.DEFAULT, packet, MqttVersion.V3_1_1);
            out.release();
            ReferenceCountUtil.release(packet);
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void takeOver() {
        }
    }

    @Setup(Level.Trial)
    public void wire() {
        TopicTree tree = new TopicTree();
        SessionRegistry sessions = new SessionRegistry();
        EmbeddedChannel loopOwner = new EmbeddedChannel();
        SessionLimits limits = new SessionLimits(20, 1000, 0, false);
        BrokerStats stats = new BrokerStats();
        for (int i = 0; i < subscribers; i++) {
            String id = "sub" + i;
            Session s = new Session(id, true, limits, stats, loopOwner.eventLoop());
            s.resume(new EncodingLink());
            sessions.put(s);
            tree.subscribe(new Subscriber(id, null, i % 2 == 0 ? "site/+/temp" : "site/#", 0, false, false, 0, 0));
        }
        router = new Router(tree, sessions, false);
        message = new Message("site/dev1/temp", 0, false, Properties.NONE, Unpooled.directBuffer(64).writeZero(64),
                "publisher");
    }

    @Benchmark
    public void route() {
        router.route(message, congestion);
        congestion.take();
    }
}
