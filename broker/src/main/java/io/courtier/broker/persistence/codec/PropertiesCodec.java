package io.courtier.broker.persistence.codec;

import io.courtier.codec.Properties;
import io.courtier.codec.Property;
import io.courtier.codec.PropertyId;
import io.courtier.codec.UserProperty;
import java.util.ArrayList;
import java.util.List;

/** MQTT 5 properties as stored: a count, then per property its identifier and typed value. */
final class PropertiesCodec {
    private PropertiesCodec() {
    }

    static void write(RecordWriter w, Properties properties) {
        List<Property> list = properties.asList();
        w.i32(list.size());
        for (Property p : list) {
            w.u8(p.id().id());
            switch (p.id().valueType()) {
                case BYTE, TWO_BYTE_INTEGER, VARIABLE_BYTE_INTEGER -> w.i32((Integer) p.value());
                case FOUR_BYTE_INTEGER -> w.i64((Long) p.value());
                case UTF8_STRING -> w.string((String) p.value());
                case BINARY_DATA -> w.bytes((byte[]) p.value());
                case UTF8_STRING_PAIR -> {
                    UserProperty u = (UserProperty) p.value();
                    w.string(u.name()).string(u.value());
                }
            }
        }
    }

    static Properties read(RecordReader r) {
        int n = r.i32();
        if (n == 0) {
            return Properties.NONE;
        }
        if (n < 0 || n > r.remaining()) {
            throw new CorruptRecordException("bad property count " + n);
        }
        List<Property> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int code = r.u8();
            PropertyId id = PropertyId.of(code);
            if (id == null) {
                throw new CorruptRecordException("unknown property " + code);
            }
            Object value = switch (id.valueType()) {
                case BYTE, TWO_BYTE_INTEGER, VARIABLE_BYTE_INTEGER -> r.i32();
                case FOUR_BYTE_INTEGER -> r.i64();
                case UTF8_STRING -> r.string();
                case BINARY_DATA -> r.bytes();
                case UTF8_STRING_PAIR -> new UserProperty(r.string(), r.string());
            };
            list.add(new Property(id, value));
        }
        return Properties.of(list);
    }
}
