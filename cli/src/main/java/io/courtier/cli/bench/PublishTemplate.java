package io.courtier.cli.bench;

import io.courtier.codec.MqttEncoder;
import io.courtier.codec.MqttVersion;
import io.courtier.codec.Properties;
import io.courtier.codec.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * A PUBLISH encoded once by our codec; each send copies its bytes and patches the packet id and
 * the payload header in place, so the generator spends its CPU on the broker, not on encoding.
 */
final class PublishTemplate {
    private final byte[] bytes;
    private final int packetIdOffset;
    private final int payloadOffset;
    private final int qos;

    PublishTemplate(String topic, int qos, int payloadSize, int publisher, MqttVersion version) {
        this.qos = qos;
        int size = Math.max(payloadSize, Payload.HEADER);
        ByteBuf payload = Unpooled.buffer(size);
        payload.writeInt(publisher);
        payload.writeZero(size - 4);
        Publish p = new Publish(topic, qos, false, false, qos > 0 ? 1 : 0, Properties.NONE, payload);
        ByteBuf encoded = MqttEncoder.encode(Unpooled.buffer().alloc(), p, version);
        try {
            bytes = new byte[encoded.readableBytes()];
            encoded.getBytes(encoded.readerIndex(), bytes);
        } finally {
            encoded.release();
            payload.release();
        }
        payloadOffset = bytes.length - size;
        // The packet id sits right before the payload; in v5 an empty property length byte follows it.
        packetIdOffset = qos == 0 ? -1 : payloadOffset - 2 - (version.isV5() ? 1 : 0);
    }

    /** A new buffer holding this PUBLISH with a packet id (ignored at QoS 0), sequence and send time. */
    ByteBuf render(ByteBufAllocator alloc, int packetId, long sequence, long sentNanos) {
        ByteBuf out = alloc.directBuffer(bytes.length, bytes.length);
        out.writeBytes(bytes);
        if (packetIdOffset >= 0) {
            out.setShort(packetIdOffset, packetId);
        }
        out.setLong(payloadOffset + 4, sequence);
        out.setLong(payloadOffset + 12, sentNanos);
        return out;
    }

    int qosOf() {
        return qos;
    }

    int size() {
        return bytes.length;
    }
}
