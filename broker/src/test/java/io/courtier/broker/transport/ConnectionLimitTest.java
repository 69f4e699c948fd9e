package io.courtier.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courtier.broker.testing.LogCapture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A listener whose process is out of descriptors says so as Mosquitto does, without a stack
 * trace, and tries to accept again a second later; any other error goes on as before.
 */
class ConnectionLimitTest {

    @Test
    void runningOutOfDescriptorsIsOneWarningAndAPauseNotAStackTrace() {
        EmbeddedChannel server = new EmbeddedChannel(new ConnectionLimit(List.of()));
        try (LogCapture log = LogCapture.broker()) {
            server.pipeline().fireExceptionCaught(
                    new IOException("accept(..) failed with error(-24): Too many open files"));

            server.checkException(); // handled here, not passed to the end of the pipeline
            assertThat(log.messages()).containsExactly("Unable to accept new connection, system socket count "
                    + "has been exceeded. Try increasing \"ulimit -n\" or equivalent.");
            assertThat(log.anyThrowable()).isFalse();
            assertThat(server.config().isAutoRead()).isFalse();

            server.advanceTimeBy(1, TimeUnit.SECONDS);
            server.runScheduledPendingTasks();
            assertThat(server.config().isAutoRead()).isTrue();
        } finally {
            server.finishAndReleaseAll();
        }
    }

    @Test
    void otherErrorsGoOn() {
        EmbeddedChannel server = new EmbeddedChannel(new ConnectionLimit(List.of()));
        server.pipeline().fireExceptionCaught(new IllegalStateException("something else"));

        assertThatThrownBy(server::checkException).hasMessage("something else");
        assertThat(server.config().isAutoRead()).isTrue();
        server.finishAndReleaseAll();
    }
}
