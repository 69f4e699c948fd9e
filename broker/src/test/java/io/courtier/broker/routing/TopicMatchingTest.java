package io.courtier.broker.routing;

import io.courtier.broker.model.Subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.codec.Topics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Topic filters against topic names (MQTT 3.1.1 section 4.7), as one table run through both
 * the string matcher (retained messages) and the subscription trie (live routing): they must
 * agree. In the tables, '' is the empty string and a filter starting
 * with '#' is quoted so it is not read as a comment line.
 */
class TopicMatchingTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # filter      | topic        | matches
            a/b           | a/b          | true
            a/b           | a/c          | false
            A             | a            | false
            a/b           | a/b/c        | false
            a/b/c         | a/b          | false
            # '#': this level and everything below, including the parent [MQTT-4.7.1-2]
            '#'           | a            | true
            '#'           | a/b/c        | true
            '#'           | /            | true
            a/#           | a            | true
            a/#           | a/           | true
            a/#           | a/b/c        | true
            a/#           | ab           | false
            a/#           | b/a          | false
            a/b/#         | a            | false
            /#            | /            | true
            /#            | a            | false
            # '+': exactly one level, possibly empty [MQTT-4.7.1-3]
            +             | a            | true
            +             | /            | false
            +             | a/b          | false
            a/+           | a/b          | true
            a/+           | a/           | true
            a/+           | a            | false
            a/+           | a/b/c        | false
            +/+           | a/b          | true
            +/+           | /b           | true
            +/+           | a/           | true
            +/+           | /            | true
            +/+           | a            | false
            +/+           | a/b/c        | false
            /+            | /            | true
            /+            | /a          | true
            /+            | a            | false
            +/#           | a            | true
            +/#           | a/b/c        | true
            a/+/#         | a/b          | true
            a/+/#         | a            | false
            +/b/+         | x/b/y        | true
            # empty levels are real levels
            a//b          | a//b         | true
            a/+/b         | a//b         | true
            a/b           | a//b         | false
            /             | /            | true
            //            | /            | false
            //            | //           | true
            /a            | a            | false
            # '$' topics are not matched by a wildcard in the first level [MQTT-4.7.2-1]
            '#'           | $SYS/x       | false
            +/x           | $SYS/x       | false
            +/+           | $SYS/x       | false
            +/#           | $SYS/x       | false
            '#'           | $            | false
            $SYS/#        | $SYS/x       | true
            $SYS/#        | $SYS         | true
            $SYS/+        | $SYS/x       | true
            $SYS/x        | $SYS/x       | true
            $SYS/+/+      | $SYS/broker/version | true
            a/+           | a/$x         | true
            a/#           | a/$x/y       | true
            """)
    void matches(String filter, String topic, boolean expected) {
        assertThat(TopicMatcher.matches(filter, topic)).as("TopicMatcher").isEqualTo(expected);
        assertThat(treeMatches(filter, topic)).as("TopicTree").isEqualTo(expected);
    }

    private static boolean treeMatches(String filter, String topic) {
        TopicTree tree = new TopicTree();
        tree.subscribe(new Subscriber("c", null, filter, 0, false, false, 0, 0));
        List<Subscriber> seen = new ArrayList<>();
        tree.match(topic, seen::add);
        return !seen.isEmpty();
    }

    @ParameterizedTest(name = "filter \"{0}\" valid: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            '#'        | true
            +          | true
            a/#        | true
            +/+        | true
            +/#        | true
            a/+/c      | true
            /          | true
            //         | true
            /#         | true
            a//b       | true
            $SYS/#     | true
            a b/ c     | true
            ''         | false
            a#         | false
            a/#/b      | false
            '#/a'      | false
            a/##       | false
            a+         | false
            a/b+       | false
            ++         | false
            +a/b       | false
            """)
    void validatesFilters(String filter, boolean valid) {
        assertThat(Topics.isValidTopicFilter(filter == null ? "" : filter)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "topic \"{0}\" valid: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a/b        | true
            /          | true
            a//b       | true
            $SYS/x     | true
            ''         | false
            a/+        | false
            '#'        | false
            a/#        | false
            a+b        | false
            """)
    void validatesTopicNames(String topic, boolean valid) {
        assertThat(Topics.isValidTopicName(topic == null ? "" : topic)).isEqualTo(valid);
    }

    @org.junit.jupiter.api.Test
    void aNullCharacterIsNeverValid() {
        assertThat(Topics.isValidTopicName("a\u0000b")).isFalse();
        assertThat(Topics.isValidTopicFilter("a/\u0000")).isFalse();
    }
}
