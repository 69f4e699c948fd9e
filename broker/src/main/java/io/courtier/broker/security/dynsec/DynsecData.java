package io.courtier.broker.security.dynsec;

import java.util.TreeMap;

/**
 * Everything the plugin knows, as in its JSON file. Mutable, and touched only under the lock of
 * {@link DynamicSecurity}; the connections read the immutable {@link AccessSnapshot} made from
 * it after each change instead. Names sort as Mosquitto lists them (byte order for ASCII).
 */
final class DynsecData {
    final TreeMap<String, DynClient> clients = new TreeMap<>();
    final TreeMap<String, DynGroup> groups = new TreeMap<>();
    final TreeMap<String, DynRole> roles = new TreeMap<>();
    /** Null: anonymous clients get no role, only the default access. */
    String anonymousGroup;
    DefaultAccess defaults = DefaultAccess.MOSQUITTO;
}
