package io.courtier.broker.sys;

/**
 * Where the store reports how long a durable write took (building and writing one batch, the
 * sync included under persistence_sync always; not the wait in the queue before it), without
 * knowing who listens: the metrics endpoint plugs a Micrometer timer in.
 * Called from the persistence thread once per batch, never per message on an event loop.
 */
public final class StoreLatency {

    /** Receives one write's duration. */
    @FunctionalInterface
    public interface Recorder {
        void record(long nanos);
    }

    private volatile Recorder recorder = nanos -> { };

    public void record(long nanos) {
        recorder.record(nanos);
    }

    public void setRecorder(Recorder value) {
        recorder = value;
    }
}
