package io.courtier.client;

/** An MQTT 5 broker answered with a failure reason code (PUBACK, PUBREC or DISCONNECT). */
public final class MqttReasonException extends Exception {

    private final int reasonCode;

    public MqttReasonException(String packet, int reasonCode) {
        super(packet + " " + ReasonStrings.reason(reasonCode) + " (" + reasonCode + ")");
        this.reasonCode = reasonCode;
    }

    public int reasonCode() {
        return reasonCode;
    }
}
