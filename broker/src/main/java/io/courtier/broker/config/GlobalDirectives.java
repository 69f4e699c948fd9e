package io.courtier.broker.config;

/**
 * Directives that apply to the whole broker: limits, $SYS, persistence, and process settings.
 * Ranges are Mosquitto 2.0's; values Mosquitto reads as "no limit" when negative stay so.
 */
final class GlobalDirectives {

    private GlobalDirectives() {
    }

    static boolean apply(ConfigLine l, ConfigState s) throws ConfigException {
        BrokerConfig.Builder b = s.builder;
        switch (l.name()) {
            case "clientid_prefixes" -> {
                b.clientidPrefixes = java.util.List.of(Values.word(l));
                s.warn(l, "clientid_prefixes is deprecated in Mosquitto; it still works in Courtier.");
            }
            case "persistent_client_expiration" -> b.persistentClientExpiration = Values.duration(l);
            case "max_inflight_messages" -> b.maxInflightMessages = (int) Values.limit(l, 65535);
            case "max_inflight_bytes" -> b.maxInflightBytes = Values.limit(l, Long.MAX_VALUE);
            case "max_queued_messages" -> b.maxQueuedMessages = (int) Values.limit(l, Integer.MAX_VALUE);
            case "max_queued_bytes" -> b.maxQueuedBytes = Values.limit(l, Long.MAX_VALUE);
            case "max_queued_bytes_total" -> b.maxQueuedBytesTotal = Values.limit(l, Long.MAX_VALUE);
            case "max_subscriptions_per_client" ->
                    b.maxSubscriptionsPerClient = (int) Values.limit(l, Integer.MAX_VALUE);
            case "queue_qos0_messages" -> b.queueQos0Messages = Values.bool(l);
            case "message_size_limit" -> b.messageSizeLimit = Values.integer(l, 0, Values.MQTT_MAX_SIZE);
            case "max_packet_size" -> b.maxPacketSize = Values.integer(l, 20, Values.MQTT_MAX_SIZE);
            case "retain_available" -> b.retainAvailable = Values.bool(l);
            case "upgrade_outgoing_qos" -> b.upgradeOutgoingQos = Values.bool(l);
            case "check_retain_source" -> b.checkRetainSource = Values.bool(l);
            case "sys_interval" -> b.sysInterval = Values.integer(l, 0, 65535);
            case "persistence" -> b.persistence = Values.bool(l);
            case "persistence_location" -> b.persistenceLocation = Values.path(l);
            case "persistence_file" -> b.persistenceFile = Values.string(l);
            case "autosave_interval" -> b.autosaveInterval = (int) Values.limit(l, Integer.MAX_VALUE);
            case "autosave_on_changes" -> b.autosaveOnChanges = Values.bool(l);
            case "persistence_sync" -> b.persistenceSync = Values.oneOf(l, "always", "interval").equals("always")
                    ? PersistenceSync.ALWAYS : PersistenceSync.INTERVAL;
            case "connection_messages" -> b.connectionMessages = Values.bool(l);
            case "pid_file" -> b.pidFile = Values.path(l);
            case "user" -> b.user = Values.word(l);
            case "set_tcp_nodelay" -> b.setTcpNodelay = Values.bool(l);
            // Mosquitto 2.1; 0 or negative: no limit.
            case "global_max_clients" -> b.globalMaxClients = (int) Values.limit(l, Integer.MAX_VALUE);
            case "global_max_connections" -> b.globalMaxConnections = (int) Values.limit(l, Integer.MAX_VALUE);
            case "websockets_headers_size" -> s.websocketsHeadersSize = Values.integer(l, 0, 65535);
            default -> {
                return false;
            }
        }
        return true;
    }
}
