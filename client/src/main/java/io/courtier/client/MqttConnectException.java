package io.courtier.client;

import io.courtier.codec.MqttVersion;

/** The broker answered CONNECT with a refusal; {@link #reasonCode()} is the CONNACK code. */
public final class MqttConnectException extends Exception {

    private final int reasonCode;
    private final MqttVersion version;

    public MqttConnectException(int reasonCode, MqttVersion version) {
        super(ReasonStrings.connack(reasonCode, version));
        this.reasonCode = reasonCode;
        this.version = version;
    }

    public int reasonCode() {
        return reasonCode;
    }

    public MqttVersion version() {
        return version;
    }
}
