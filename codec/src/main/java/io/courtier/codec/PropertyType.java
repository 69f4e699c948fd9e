package io.courtier.codec;

/** How an MQTT 5 property value is written on the wire (MQTT 5.0 section 2.2.2.2). */
public enum PropertyType {
    /** One byte; Java value {@link Integer}. */
    BYTE,
    /** Two-byte unsigned integer; Java value {@link Integer}. */
    TWO_BYTE_INTEGER,
    /** Four-byte unsigned integer; Java value {@link Long}. */
    FOUR_BYTE_INTEGER,
    /** Variable byte integer; Java value {@link Integer}. */
    VARIABLE_BYTE_INTEGER,
    /** UTF-8 encoded string; Java value {@link String}. */
    UTF8_STRING,
    /** Binary data; Java value {@code byte[]}. */
    BINARY_DATA,
    /** UTF-8 string pair; Java value {@link UserProperty}. */
    UTF8_STRING_PAIR
}
