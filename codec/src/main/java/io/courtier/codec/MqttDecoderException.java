package io.courtier.codec;

import io.netty.handler.codec.DecoderException;

/**
 * A packet broke a wire rule. {@code reasonCode} is the MQTT 5 reason code the broker sends
 * (in DISCONNECT, or CONNACK while connecting) before it closes the connection; 3.1/3.1.1
 * connections are just closed. The message names the rule, with its normative statement
 * number where the standard gives one, and never echoes more than a short excerpt of input.
 */
public final class MqttDecoderException extends DecoderException {

    private final int reasonCode;

    public MqttDecoderException(int reasonCode, String rule) {
        super(rule);
        this.reasonCode = reasonCode;
    }

    public int reasonCode() {
        return reasonCode;
    }

    /** Exceptions are control flow for a client's mistake: no stack trace needed. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
