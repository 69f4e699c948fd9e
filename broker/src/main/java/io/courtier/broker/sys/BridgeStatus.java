package io.courtier.broker.sys;

/**
 * One bridge as the console, its JSON API and /metrics show it: whether its link is up, what its
 * local session holds for the remote broker (queued, in flight), and what it has moved since the
 * broker started (QoS 1/2 messages the remote acknowledged, messages received, connections made).
 */
public record BridgeStatus(String name, String remoteClientId, String localClientId, String addresses,
                           boolean connected, int queued, int inflight, long forwarded, long received,
                           long connections) {
}
