package io.courtier.broker.session;

import io.courtier.codec.MqttPacket;
import io.courtier.codec.Publish;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/** A connection for a session under test: it keeps what the session writes and says it is writable when told. */
final class RecordingLink implements ClientLink {

    final List<MqttPacket> sent = new ArrayList<>();
    /** The payload of each PUBLISH sent, as text, read before its buffer is released. */
    final List<String> payloads = new ArrayList<>();
    volatile boolean writable = true;
    int receiveMaximum = 65_535;

    @Override
    public void send(MqttPacket packet) {
        sent.add(packet);
        if (packet instanceof Publish p) {
            payloads.add(p.payload().toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        ReferenceCountUtil.release(packet); // the session hands over a PUBLISH's reference: what we keep is its fields
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void takeOver() {
    }

    @Override
    public int receiveMaximum() {
        return receiveMaximum;
    }

    List<Publish> publishes() {
        return sent.stream().filter(p -> p instanceof Publish).map(p -> (Publish) p).toList();
    }
}
