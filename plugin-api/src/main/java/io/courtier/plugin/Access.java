package io.courtier.plugin;

/**
 * What a client wants to do with a topic. The codes are Mosquitto's {@code MOSQ_ACL_*} values,
 * which mosquitto-go-auth sends as {@code acc} to an HTTP service.
 */
public enum Access {
    /** Receive a message published on the topic (checked at each delivery). */
    READ(1),
    /** Publish to the topic. */
    WRITE(2),
    /** Subscribe with this topic filter. */
    SUBSCRIBE(4);

    private final int code;

    Access(int code) {
        this.code = code;
    }

    /** Mosquitto's number for this access: 1 read, 2 write, 4 subscribe. */
    public int code() {
        return code;
    }
}
