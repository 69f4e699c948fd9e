package io.courtier.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Outbound packet identifiers: 1..65535, never 0, wrapping, skipping ids still in flight [MQTT-2.3.1-2]. */
class PacketIdsTest {

    private final PacketIds ids = new PacketIds();

    @Test
    void startsAtOneAndCountsUp() {
        assertThat(ids.next(id -> false)).isEqualTo(1);
        assertThat(ids.next(id -> false)).isEqualTo(2);
        assertThat(ids.next(id -> false)).isEqualTo(3);
    }

    @Test
    void wrapsAfter65535ToOneNeverZero() {
        for (int i = 1; i < 65535; i++) {
            ids.next(id -> false);
        }
        assertThat(ids.next(id -> false)).isEqualTo(65535);
        assertThat(ids.next(id -> false)).isEqualTo(1);
    }

    @Test
    void skipsIdsStillInUse() {
        Set<Integer> inFlight = new HashSet<>(Set.of(2, 3, 5));
        assertThat(ids.next(inFlight::contains)).isEqualTo(1);
        assertThat(ids.next(inFlight::contains)).isEqualTo(4);
        assertThat(ids.next(inFlight::contains)).isEqualTo(6);
    }

    @Test
    void skipsInUseIdsAcrossTheWrap() {
        for (int i = 1; i < 65535; i++) {
            ids.next(id -> false);
        }
        Set<Integer> inFlight = Set.of(65535, 1, 2);
        assertThat(ids.next(inFlight::contains)).isEqualTo(3);
    }

    @Test
    void reportsZeroWhenEveryIdIsInUse() {
        assertThat(ids.next(id -> true)).isZero();
        // and recovers as soon as one is free
        assertThat(ids.next(id -> id != 42)).isEqualTo(42);
    }
}
