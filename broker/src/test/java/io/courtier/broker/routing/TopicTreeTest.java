package io.courtier.broker.routing;

import io.courtier.broker.model.Subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The subscription trie: subscribe, replace, unsubscribe, overlapping filters, shared groups. */
class TopicTreeTest {

    private final TopicTree tree = new TopicTree();

    private static Subscriber sub(String clientId, String filter, int qos) {
        return new Subscriber(clientId, null, filter, qos, false, false, 0, 0);
    }

    private static Subscriber shared(String clientId, String group, String filter) {
        return new Subscriber(clientId, group, filter, 1, false, false, 0, 0);
    }

    private List<Subscriber> match(String topic) {
        List<Subscriber> seen = new ArrayList<>();
        tree.match(topic, seen::add);
        return seen;
    }

    @Test
    void overlappingFiltersOfOneClientAreAllMatched() {
        // The tree reports every matching subscription; the Router collapses them to one delivery per client.
        tree.subscribe(sub("c", "a/+", 0));
        tree.subscribe(sub("c", "a/#", 1));
        tree.subscribe(sub("c", "#", 2));
        tree.subscribe(sub("c", "a/b", 1));

        assertThat(match("a/b")).extracting(Subscriber::filter).containsExactlyInAnyOrder("a/+", "a/#", "#", "a/b");
        assertThat(match("a")).extracting(Subscriber::filter).containsExactlyInAnyOrder("a/#", "#");
        assertThat(tree.count()).isEqualTo(4);
    }

    @Test
    void aMatchStartedInsideAnotherLeavesTheOuterOneIntact() {
        // Matching reuses per-thread state; a visitor that matches again (as a will published
        // from a failed delivery could) must not disturb the match that called it.
        tree.subscribe(sub("c1", "a/b/c", 0));
        tree.subscribe(sub("c2", "a/+/c", 0));
        tree.subscribe(sub("c3", "x/y", 0));
        List<String> outer = new ArrayList<>();
        List<String> inner = new ArrayList<>();

        tree.match("a/b/c", s -> {
            outer.add(s.clientId());
            tree.match("x/y", t -> inner.add(t.clientId()));
        });

        assertThat(outer).containsExactlyInAnyOrder("c1", "c2");
        assertThat(inner).containsExactly("c3", "c3");
        assertThat(match("a/b/c")).extracting(Subscriber::clientId).containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void severalClientsOnOneFilter() {
        tree.subscribe(sub("c1", "x/y", 0));
        tree.subscribe(sub("c2", "x/y", 2));

        assertThat(match("x/y")).extracting(Subscriber::clientId).containsExactlyInAnyOrder("c1", "c2");
        assertThat(tree.unsubscribe("c1", null, "x/y")).isNotNull();
        assertThat(match("x/y")).extracting(Subscriber::clientId).containsExactly("c2");
    }

    @Test
    void resubscribingToTheSameFilterReplacesTheSubscription() {
        assertThat(tree.subscribe(sub("c", "a/b", 0))).isNull();
        Subscriber previous = tree.subscribe(sub("c", "a/b", 2));

        assertThat(previous.qos()).isZero();
        assertThat(match("a/b")).extracting(Subscriber::qos).containsExactly(2);
        assertThat(tree.count()).isEqualTo(1);
    }

    @Test
    void unsubscribeRemovesOnlyThatFilter() {
        tree.subscribe(sub("c", "a/#", 1));
        tree.subscribe(sub("c", "a/b", 1));

        assertThat(tree.unsubscribe("c", null, "a/b").filter()).isEqualTo("a/b");
        assertThat(match("a/b")).extracting(Subscriber::filter).containsExactly("a/#");
        assertThat(tree.count()).isEqualTo(1);
    }

    @Test
    void unsubscribingWhatWasNeverSubscribedChangesNothing() {
        tree.subscribe(sub("c", "a/b", 1));

        assertThat(tree.unsubscribe("c", null, "a/c")).isNull();
        assertThat(tree.unsubscribe("other", null, "a/b")).isNull();
        assertThat(tree.unsubscribe("c", null, "a/b/c")).isNull();
        assertThat(tree.unsubscribe("c", null, "a")).isNull();
        assertThat(tree.count()).isEqualTo(1);
    }

    @Test
    void emptiedBranchesAreReusableAfterPruning() {
        tree.subscribe(sub("c", "a/b/c/d", 1));
        tree.unsubscribe("c", null, "a/b/c/d");
        assertThat(match("a/b/c/d")).isEmpty();
        assertThat(tree.count()).isZero();

        tree.subscribe(sub("c", "a/b/c/d", 1));
        assertThat(match("a/b/c/d")).hasSize(1);
    }

    @Test
    void aParentFilterSurvivesTheRemovalOfAChild() {
        tree.subscribe(sub("c", "a", 1));
        tree.subscribe(sub("c", "a/b", 1));
        tree.unsubscribe("c", null, "a/b");

        assertThat(match("a")).hasSize(1);
        assertThat(match("a/b")).isEmpty();

        // "a" is a leaf again; it takes new children, wildcards included.
        tree.subscribe(sub("d", "a/+", 0));
        tree.subscribe(sub("e", "a/#", 0));
        assertThat(match("a/x")).extracting(Subscriber::clientId).containsExactlyInAnyOrder("d", "e");
        assertThat(match("a")).extracting(Subscriber::clientId).containsExactlyInAnyOrder("c", "e");
    }

    @Test
    void sharedSubscriptionsAreSeparateSlotsAndCounted() {
        tree.subscribe(sub("c", "t", 0));
        tree.subscribe(shared("c", "g1", "t"));
        tree.subscribe(shared("c", "g2", "t"));

        assertThat(tree.count()).isEqualTo(3);
        assertThat(tree.sharedCount()).isEqualTo(2);
        assertThat(match("t")).hasSize(3);
        tree.unsubscribe("c", "g1", "t");
        assertThat(tree.sharedCount()).isEqualTo(1);
        assertThat(match("t")).extracting(Subscriber::shareGroup).containsExactlyInAnyOrder(null, "g2");
    }

    @Test
    void dollarTopicsReachOnlyFiltersThatNameThem() {
        tree.subscribe(sub("c1", "#", 0));
        tree.subscribe(sub("c2", "+/broker/#", 0));
        tree.subscribe(sub("c3", "$SYS/#", 0));

        assertThat(match("$SYS/broker/uptime")).extracting(Subscriber::clientId).containsExactly("c3");
    }
}
