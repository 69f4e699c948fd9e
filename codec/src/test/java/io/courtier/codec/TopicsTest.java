package io.courtier.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicsTest {

    @ParameterizedTest(name = "filter \"{0}\" valid={1}")
    @CsvSource(delimiter = '|', value = {
            "a/b|true", "#|true", "+|true", "a/#|true", "+/+|true", "/|true", "a//b|true", "+/#|true",
            "$SYS/#|true", "$share/g/a/+|true", "$share/g/#|true",
            "a#|false", "a/#/b|false", "a+|false", "a/+b|false", "#/|false",
            "$share/g|false", "$share//a|false", "$share/g+/a|false", "$share/g/|false"})
    void filters(String filter, boolean valid) {
        assertThat(Topics.isValidTopicFilter(filter)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "topic \"{0}\" valid={1}")
    @CsvSource(delimiter = '|', value = {"a/b|true", "/|true", "//|true", "$SYS/x|true", "a b|true",
            "a/+|false", "#|false", "a/#|false"})
    void names(String topic, boolean valid) {
        assertThat(Topics.isValidTopicName(topic)).isEqualTo(valid);
    }

    @Test
    void emptyAndNulCharacterAreInvalid() {
        assertThat(Topics.isValidTopicName("")).isFalse();
        assertThat(Topics.isValidTopicFilter("")).isFalse();
        assertThat(Topics.isValidTopicName("a\u0000b")).isFalse();
        assertThat(Topics.isValidTopicName("a\uD800")).as("lone surrogate").isFalse();
    }

    @Test
    void sharedSubscriptionParts() {
        assertThat(Topics.shareGroup("$share/grp/a/b")).isEqualTo("grp");
        assertThat(Topics.shareFilter("$share/grp/a/b")).isEqualTo("a/b");
        assertThat(Topics.shareGroup("a/b")).isNull();
        assertThat(Topics.shareFilter("a/b")).isEqualTo("a/b");
    }
}
