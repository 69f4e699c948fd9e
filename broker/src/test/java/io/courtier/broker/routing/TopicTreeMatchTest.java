package io.courtier.broker.routing;

import io.courtier.broker.model.Subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The trie finds exactly the subscriptions whose filter matches a topic, as the standalone
 * matcher (which walks both strings, no trie) says: wildcards, empty levels, '$' topics, and
 * levels whose Strings share a hash code.
 */
class TopicTreeMatchTest {

    /** "Aa" and "BB" have the same String hash code: lookups must still tell them apart. */
    private static final String[] LEVELS = {"a", "b", "Aa", "BB", "", "$SYS", "sensor", "+", "#"};

    @Test
    void matchFindsWhatTheMatcherSaysForRandomFiltersAndTopics() {
        Random random = new Random(42);
        TopicTree tree = new TopicTree();
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String filter = randomName(random, true);
            filters.add(filter);
            tree.subscribe(new Subscriber("c" + i, null, filter, 0, false, false, 0, 0));
        }
        for (int i = 0; i < 2000; i++) {
            String topic = randomName(random, false);
            Set<String> expected = new HashSet<>();
            for (int f = 0; f < filters.size(); f++) {
                if (TopicMatcher.matches(filters.get(f), topic)) {
                    expected.add("c" + f);
                }
            }
            Set<String> found = new HashSet<>();
            tree.match(topic, s -> assertThat(found.add(s.clientId())).as("visited once").isTrue());
            assertThat(found).as("topic '%s'", topic).isEqualTo(expected);
        }
    }

    /**
     * Depth is the client's choice: the walk must not recurse per level. A recursive walk threw
     * StackOverflowError from about 3,500 levels on (issue 25), so nobody, not even "#", got the
     * message. (The protocol refuses topics over 201 levels, as Mosquitto; filters restored from an
     * older store or a will reach the tree without that check.)
     */
    @Test
    void aFiveThousandLevelFilterMatchesWithoutOverflowingTheStack() {
        String deep = String.join("/", java.util.Collections.nCopies(5_000, "a"));
        TopicTree tree = new TopicTree();
        tree.subscribe(new Subscriber("deep", null, deep, 0, false, false, 0, 0));
        tree.subscribe(new Subscriber("plus", null, "+/" + deep.substring(2), 0, false, false, 0, 0));
        tree.subscribe(new Subscriber("everything", null, "#", 0, false, false, 0, 0));
        tree.subscribe(new Subscriber("tail", null, deep.substring(0, deep.length() - 2) + "/#", 0, false, false, 0,
                0));
        Set<String> found = new HashSet<>();
        tree.match(deep, s -> found.add(s.clientId()));
        assertThat(found).containsExactlyInAnyOrder("deep", "plus", "everything", "tail");
    }

    @Test
    void levelsWithTheSameHashCodeAreDifferentLevels() {
        TopicTree tree = new TopicTree();
        tree.subscribe(new Subscriber("aa", null, "x/Aa", 0, false, false, 0, 0));
        tree.subscribe(new Subscriber("bb", null, "x/BB/#", 0, false, false, 0, 0));
        List<String> found = new ArrayList<>();
        tree.match("x/BB", s -> found.add(s.clientId()));
        assertThat(found).containsExactly("bb");
        found.clear();
        tree.match("x/Aa", s -> found.add(s.clientId()));
        assertThat(found).containsExactly("aa");
    }

    private static String randomName(Random random, boolean filter) {
        int levels = 1 + random.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int l = 0; l < levels; l++) {
            String level;
            do {
                level = LEVELS[random.nextInt(LEVELS.length)];
            } while ((!filter && (level.equals("+") || level.equals("#")))
                    || (level.equals("#") && l < levels - 1) || (level.equals("$SYS") && l > 0));
            if (l > 0) {
                b.append('/');
            }
            b.append(level);
        }
        return b.toString();
    }
}
