package io.courtier.broker.session;

/**
 * One message for one session: its delivery QoS and RETAIN flag, and once sent at QoS 1/2 its
 * packet id and whether PUBREL went out (QoS 2 second half). Owned by the session's loop.
 */
final class Delivery {
    final Message message;
    final int qos;
    final boolean retainFlag;
    int packetId;
    boolean pubrelSent;

    Delivery(Message message, int qos, boolean retainFlag) {
        this.message = message;
        this.qos = qos;
        this.retainFlag = retainFlag;
    }
}
