package io.courtier.bench;

import io.courtier.broker.session.ClientLink;
import io.courtier.broker.model.Message;
import io.courtier.broker.session.Session;
import io.courtier.broker.session.SessionLimits;
import io.courtier.broker.sys.BrokerStats;
import io.courtier.codec.MqttPacket;
import io.courtier.codec.Properties;
import io.courtier.codec.Publish;
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
 * One QoS 1 message delivered to an online session and acknowledged, with {@code window}
 * messages in flight: the session's in-flight bookkeeping (packet id, window, PUBACK) and what
 * goes with any send (the Delivery, the Publish). Nothing is encoded, so that what is left is
 * the session's own work; packet ids run through their whole range and wrap, as on a long-lived
 * connection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class InflightBench {

    /** Messages in flight while one more is sent and the oldest acknowledged (Mosquitto's default max is 20). */
    @Param({"1", "20"})
    public int window;

    private Session session;
    private Message message;
    private final RecordingLink link = new RecordingLink();
    /** Packet ids in flight, oldest first, as a ring: the client acknowledges in order. */
    private int[] sent;
    private int oldest;

    /** Stands where a connection would: notes the packet id of each PUBLISH and drops the packet. */
    private static final class RecordingLink implements ClientLink {
        int lastPacketId;

        @Override
        public void send(MqttPacket packet) {
            if (packet instanceof Publish p) {
                lastPacketId = p.packetId();
            }
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
        EmbeddedChannel loopOwner = new EmbeddedChannel();
        // The window is the subscriber's, one above the messages kept in flight, so a send never queues.
        session = new Session("sub", true, new SessionLimits(window + 1, 1000, 0, false), new BrokerStats(),
                loopOwner.eventLoop());
        session.resume(link);
        message = new Message("site/dev1/temp", 1, false, Properties.NONE, Unpooled.directBuffer(64).writeZero(64),
                "publisher");
        sent = new int[window];
        for (int i = 0; i < window; i++) {
            session.deliver(message, 1, false);
            sent[i] = link.lastPacketId;
        }
    }

    @Benchmark
    public boolean deliverAndAcknowledge() {
        session.deliver(message, 1, false);
        int id = link.lastPacketId;
        boolean acked = session.onPuback(sent[oldest]);
        sent[oldest] = id;
        oldest = oldest + 1 == sent.length ? 0 : oldest + 1;
        return acked;
    }
}
