package io.courtier.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.model.Subscriber;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The taking node's side of a session moving nodes: it ends once every node of the cluster at the
 * take has let go of the parked copy (a node's word about an earlier take of the same session does
 * not count, one that comes before the take is known does), and until then a message reaches the
 * session once by its origin.
 */
class HandoverTest {

    private static final List<Subscriber> SUBS = List.of(new Subscriber("c1", null, "a/+", 2, false, false, 0, 0));

    @Test
    void itEndsOnceEveryNodeOfThisTakeLetGo() {
        AtomicInteger finished = new AtomicInteger();
        Handover h = new Handover("c1", Set.of("n1", "n2", "n3"), done -> finished.incrementAndGet());
        h.released("n2", 5); // before this node knows the take: kept for it
        h.released("n3", 4); // an earlier take's word
        h.begin(SUBS, 5);
        h.released("n1"); // this node itself
        h.abandon(); // no session here after all: it ends when the nodes let go
        assertThat(finished).hasValue(0);
        assertThat(h.open()).isTrue();
        h.released("n3", 5);
        assertThat(finished).hasValue(1);
        assertThat(h.open()).isFalse();
    }

    @Test
    void aNodeThatLeftCountsAsLetGo() {
        AtomicInteger finished = new AtomicInteger();
        Handover h = new Handover("c1", Set.of("n1", "n2"), done -> finished.incrementAndGet());
        h.begin(SUBS, 7);
        h.abandon();
        h.released("n1");
        h.released("n2"); // left the cluster
        assertThat(finished).hasValue(1);
    }

    @Test
    void eachOriginReachesTheSessionOnceAndOnlyWhatItsSubscriptionsMatchCounts() {
        Handover h = new Handover("c1", Set.of("n1"), done -> { });
        assertThat(h.matches("a/b")).isFalse(); // the header is not taken yet
        h.begin(SUBS, 1);
        assertThat(h.matches("a/b")).isTrue();
        assertThat(h.matches("b/a")).isFalse();
        assertThat(h.firstTime("n2:1")).isTrue();
        assertThat(h.firstTime("n2:1")).isFalse();
        assertThat(h.firstTime(null)).isTrue(); // a message from this node's own publishers
    }
}
