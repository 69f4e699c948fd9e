package io.courtier.broker.security.dynsec;

/**
 * The six kinds of rule a dynamic-security role holds, in the order Mosquitto keeps and lists
 * them. Publish rules match topic names against the rule's filter; the literal kinds compare a
 * subscription's filter with the rule's as strings; the pattern kinds accept a filter the rule's
 * filter covers.
 */
enum AclType {
    PUBLISH_CLIENT_SEND("publishClientSend"),
    PUBLISH_CLIENT_RECEIVE("publishClientReceive"),
    SUBSCRIBE_LITERAL("subscribeLiteral"),
    SUBSCRIBE_PATTERN("subscribePattern"),
    UNSUBSCRIBE_LITERAL("unsubscribeLiteral"),
    UNSUBSCRIBE_PATTERN("unsubscribePattern");

    final String wireName;

    AclType(String wireName) {
        this.wireName = wireName;
    }

    /** The type a request names (case-insensitive, as Mosquitto's strcasecmp), or null. */
    static AclType named(String name) {
        for (AclType t : values()) {
            if (t.wireName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
