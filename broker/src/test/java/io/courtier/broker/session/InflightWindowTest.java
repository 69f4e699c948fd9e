package io.courtier.broker.session;

import io.courtier.broker.model.Message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The in-flight window: found by packet id, walked in send order whatever was acknowledged in
 * between (a resumed session resends in that order [MQTT-4.4.0-1]), free of cost while idle,
 * and steady in size under endless sends and acknowledgements.
 */
class InflightWindowTest {

    private final InflightWindow window = new InflightWindow();

    private static Delivery delivery(int packetId) {
        Delivery d = new Delivery(null, 1, false, Message.NO_IDS, null);
        d.packetId = packetId;
        return d;
    }

    private static List<Integer> ids(InflightWindow w) {
        List<Integer> ids = new ArrayList<>();
        for (Delivery d : w) {
            ids.add(d.packetId);
        }
        return ids;
    }

    @Test
    void anIdleWindowHasNoTableAndHoldsNothing() {
        assertThat(window.capacity()).isZero();
        assertThat(window.isEmpty()).isTrue();
        assertThat(window.size()).isZero();
        assertThat(window.get(1)).isNull();
        assertThat(window.contains(65535)).isFalse();
        assertThat(window.remove(7)).isNull();
        assertThat(window.iterator().hasNext()).isFalse();
        assertThat(window.capacity()).as("looking does not make the table").isZero();
    }

    @Test
    void findsEachDeliveryByItsPacketId() {
        Delivery a = delivery(1);
        Delivery b = delivery(300);
        window.add(a);
        window.add(b);
        assertThat(window.get(1)).isSameAs(a);
        assertThat(window.get(300)).isSameAs(b);
        assertThat(window.get(2)).isNull();
        assertThat(window.contains(300)).isTrue();
        assertThat(window.size()).isEqualTo(2);
        assertThat(window.isEmpty()).isFalse();
    }

    @Test
    void keepsSendOrderWhenDeliveriesInTheMiddleAreAcknowledged() {
        for (int id = 1; id <= 10; id++) {
            window.add(delivery(id));
        }
        assertThat(window.remove(5).packetId).isEqualTo(5);
        assertThat(window.remove(3).packetId).isEqualTo(3);
        assertThat(window.remove(10).packetId).isEqualTo(10); // the newest
        assertThat(window.remove(1).packetId).isEqualTo(1); // the oldest
        assertThat(window.remove(5)).as("already acknowledged").isNull();
        assertThat(ids(window)).containsExactly(2, 4, 6, 7, 8, 9);

        window.add(delivery(11));
        window.add(delivery(3)); // a free id used again goes out last, not where it was before
        assertThat(ids(window)).containsExactly(2, 4, 6, 7, 8, 9, 11, 3);
        assertThat(window.size()).isEqualTo(8);
    }

    @Test
    void growsPastItsFirstTableKeepingEveryDeliveryAndTheOrder() {
        assertThat(window.capacity()).isZero();
        window.add(delivery(1));
        int first = window.capacity();
        assertThat(first).as("small: most sessions have few messages in flight").isLessThanOrEqualTo(8);

        // Ids that share slots in every table size up to 1024, added out of numeric order.
        List<Integer> sent = new ArrayList<>(List.of(1));
        for (int i = 600; i >= 2; i--) {
            int id = (i * 1024) % 65535 + 1;
            if (!sent.contains(id)) {
                window.add(delivery(id));
                sent.add(id);
            }
        }
        assertThat(window.capacity()).isGreaterThan(first);
        assertThat(window.capacity()).as("at most 3/4 full").isGreaterThanOrEqualTo(sent.size() * 4 / 3);
        assertThat(ids(window)).containsExactlyElementsOf(sent);
        for (int id : sent) {
            assertThat(window.get(id).packetId).isEqualTo(id);
        }
        assertThat(window.size()).isEqualTo(sent.size());
    }

    @Test
    void holdsAllOfThePacketIdsAtOnce() {
        for (int id = 65535; id >= 1; id--) {
            window.add(delivery(id));
        }
        assertThat(window.size()).isEqualTo(65535);
        assertThat(window.contains(1)).isTrue();
        assertThat(window.contains(65535)).isTrue();
        assertThat(window.iterator().next().packetId).isEqualTo(65535);
        for (int id = 1; id <= 65535; id += 2) {
            window.remove(id);
        }
        assertThat(window.size()).isEqualTo(32767);
        assertThat(window.get(32768).packetId).isEqualTo(32768);
        assertThat(window.get(32767)).isNull();
    }

    @Test
    void packetIdsWrapAroundPastAnIdStillInFlight() {
        PacketIds packetIds = new PacketIds();
        ArrayDeque<Integer> sendOrder = new ArrayDeque<>();
        // The first message is never acknowledged: after the wrap its id must be skipped.
        int stuck = packetIds.next(window::contains);
        window.add(delivery(stuck));
        int wraps = 0;
        int previous = stuck;
        for (int i = 0; i < 3 * 65535; i++) {
            int id = packetIds.next(window::contains);
            assertThat(id).isNotEqualTo(stuck).isBetween(1, 65535);
            if (id < previous) {
                wraps++;
            }
            previous = id;
            window.add(delivery(id));
            sendOrder.add(id);
            if (sendOrder.size() > 20) {
                int acked = sendOrder.poll();
                assertThat(window.remove(acked).packetId).isEqualTo(acked);
            }
        }
        List<Integer> expected = new ArrayList<>();
        expected.add(stuck);
        expected.addAll(sendOrder);
        assertThat(wraps).isEqualTo(3);
        assertThat(ids(window)).containsExactlyElementsOf(expected);
    }

    @Test
    void endlessSendsAndAcknowledgementsKeepTheTableItsSize() {
        ArrayDeque<Delivery> sent = new ArrayDeque<>();
        PacketIds packetIds = new PacketIds();
        for (int i = 0; i < 20; i++) {
            Delivery d = delivery(packetIds.next(window::contains));
            window.add(d);
            sent.add(d);
        }
        int steady = window.capacity();
        Random random = new Random(7);
        for (int i = 0; i < 1_000_000; i++) {
            // Mostly in order, as a client acknowledges; now and then one from the middle.
            Delivery acked = random.nextInt(8) == 0 ? removeAt(sent, random.nextInt(sent.size())) : sent.poll();
            assertThat(window.remove(acked.packetId)).isSameAs(acked);
            acked.packetId = packetIds.next(window::contains); // the same object again keeps the test itself lean
            window.add(acked);
            sent.add(acked);
        }
        assertThat(window.capacity()).isEqualTo(steady);
        assertThat(window.size()).isEqualTo(20);
        List<Integer> expected = new ArrayList<>();
        for (Delivery d : sent) {
            expected.add(d.packetId);
            assertThat(window.get(d.packetId)).isSameAs(d);
        }
        assertThat(ids(window)).containsExactlyElementsOf(expected);
    }

    private static Delivery removeAt(ArrayDeque<Delivery> deque, int index) {
        Iterator<Delivery> it = deque.iterator();
        for (int i = 0; i < index; i++) {
            it.next();
        }
        Delivery d = it.next();
        it.remove();
        return d;
    }

    @Test
    void behavesAsAnInsertionOrderedMapUnderRandomSendsAndAcknowledgements() {
        Map<Integer, Delivery> model = new LinkedHashMap<>();
        Random random = new Random(42);
        for (int step = 0; step < 200_000; step++) {
            // Ids from a narrow range so that they collide, are freed and reused all the time.
            int id = 1 + random.nextInt(step < 100_000 ? 64 : 2048);
            if (model.containsKey(id)) {
                assertThat(window.remove(id)).isSameAs(model.remove(id));
            } else {
                Delivery d = delivery(id);
                window.add(d);
                model.put(id, d);
            }
            assertThat(window.size()).isEqualTo(model.size());
            int probe = 1 + random.nextInt(2048);
            assertThat(window.get(probe)).isSameAs(model.get(probe));
        }
        assertThat(ids(window)).containsExactlyElementsOf(model.keySet());
        for (Map.Entry<Integer, Delivery> e : model.entrySet()) {
            assertThat(window.get(e.getKey())).isSameAs(e.getValue());
        }
        for (int id : new ArrayList<>(model.keySet())) {
            assertThat(window.remove(id)).isSameAs(model.remove(id));
        }
        assertThat(window.isEmpty()).isTrue();
        assertThat(window.displaced()).isZero();
    }

    @Test
    void idsInSequenceEachGetTheirOwnSlot() {
        PacketIds packetIds = new PacketIds();
        ArrayDeque<Integer> sendOrder = new ArrayDeque<>();
        for (int i = 0; i < 2 * 65535; i++) {
            int id = packetIds.next(window::contains);
            window.add(delivery(id));
            sendOrder.add(id);
            if (sendOrder.size() > 20) {
                window.remove(sendOrder.poll());
            }
            // So every lookup is one slot and every removal stops at once.
            assertThat(window.displaced()).isZero();
        }
        assertThat(ids(window)).containsExactlyElementsOf(sendOrder);
    }

    @Test
    void clearForgetsEveryDeliveryAndTheTable() {
        List<Delivery> held = new ArrayList<>();
        for (int id = 100; id < 150; id++) {
            Delivery d = delivery(id);
            window.add(d);
            held.add(d);
        }
        window.clear();
        assertThat(window.isEmpty()).isTrue();
        assertThat(window.size()).isZero();
        assertThat(window.capacity()).as("a discarded session keeps no table").isZero();
        assertThat(window.iterator().hasNext()).isFalse();
        assertThat(window.contains(120)).isFalse();
        for (Delivery d : held) {
            assertThat(d.next).isNull();
            assertThat(d.prev).isNull();
        }
        window.add(held.get(20));
        window.add(delivery(100));
        assertThat(ids(window)).containsExactly(120, 100);
    }

    @Test
    void refusesASecondDeliveryUnderAnIdInFlightOrOneAlreadyInAList() {
        Delivery first = delivery(9);
        window.add(first);
        assertThatThrownBy(() -> window.add(delivery(9))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> window.add(first)).isInstanceOf(IllegalStateException.class);
        Delivery inInbox = delivery(10);
        inInbox.next = delivery(11);
        assertThatThrownBy(() -> window.add(inInbox)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> window.add(delivery(0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> window.add(delivery(65536))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ids(window)).containsExactly(9);
    }

    @Test
    void aWalkFailsRatherThanGoOnAfterTheWindowChanged() {
        window.add(delivery(1));
        window.add(delivery(2));
        Iterator<Delivery> it = window.iterator();
        it.next();
        window.remove(2);
        assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
    }
}
