package io.courtier.broker.security.dynsec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads members of a JSON object as Mosquitto's plugin does through cJSON: names match without
 * regard to case (its own {@code init} writes "textName", it reads "textname"), and a member
 * of the wrong type counts as missing.
 */
final class Fields {
    private Fields() {
    }

    static JsonNode get(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The member's text, or null when it is absent or not a string. */
    static String string(JsonNode object, String name) {
        JsonNode n = get(object, name);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    static boolean present(JsonNode object, String name) {
        return get(object, name) != null;
    }

    /** The member's integer value, {@code fallback} when absent or not a number. */
    static int integer(JsonNode object, String name, int fallback) {
        JsonNode n = get(object, name);
        return n != null && n.isNumber() ? n.intValue() : fallback;
    }

    static boolean bool(JsonNode object, String name, boolean fallback) {
        JsonNode n = get(object, name);
        return n != null && n.isBoolean() ? n.booleanValue() : fallback;
    }
}
