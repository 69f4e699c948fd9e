package io.courtier.broker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.concurrent.Callable;

/**
 * Run on another node (Hazelcast's executor service): a copy of the route table and the retained
 * map as that node holds them. A node that merged back after a split compares its own tree and
 * retained set with this rather than with its own copy of the maps, which Hazelcast fills again
 * only by its periodic re-synchronisation (every 30 s) and which, until then, may lack what the
 * other side wrote, so that its older values would look newer.
 */
final class MapsSnapshot implements Callable<MapsSnapshot.Maps>, Serializable, HazelcastInstanceAware {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The two maps' contents. */
    record Maps(HashMap<String, Integer> routes, HashMap<String, byte[]> retained) implements Serializable {
    }

    private transient HazelcastInstance hz;

    @Override
    public void setHazelcastInstance(HazelcastInstance hz) {
        this.hz = hz;
    }

    @Override
    public Maps call() {
        return new Maps(new HashMap<>(hz.<String, Integer>getReplicatedMap(RouteTable.MAP)),
                new HashMap<>(hz.<String, byte[]>getReplicatedMap(RetainedSync.MAP)));
    }
}
