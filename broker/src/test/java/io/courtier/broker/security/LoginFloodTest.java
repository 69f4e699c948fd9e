package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courtier.testkit.MqttBytes;
import io.courtier.broker.testing.TestBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong passwords cannot starve right ones (issue 25). The password file uses 210,000-iteration
 * PBKDF2 (Courtier's and Mosquitto 2.1's default, about 0.17 s a check here), and an attacker on
 * 127.0.0.1 sends 200 CONNECTs a second with a wrong password, each reset at once, as the red team
 * did. Before the LoginGate every one of them was hashed on one thread and the next correct login
 * waited 35 s; the bounds below are generous for a loaded two-core machine and far below that.
 */
class LoginFloodTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private TestBroker broker;
    private Flood flood;

    @BeforeEach
    void start() throws Exception {
        Path pw = dir.resolve("passwords");
        Files.writeString(pw, "alice:" + PasswordHash.createPbkdf2("right", PasswordHash.DEFAULT_ITERATIONS) + "\n"
                + "bob:" + PasswordHash.createPbkdf2("also-right", PasswordHash.DEFAULT_ITERATIONS) + "\n");
        broker = TestBroker.start(b -> {
            b.security = b.security.withAllowAnonymous(false).withPasswordFile(pw);
            b.sysInterval = 0;
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (flood != null) {
            flood.close();
        }
        broker.close();
    }

    @Test
    void aRememberedLoginIsAnsweredAtOnceDuringAFlood() throws Exception {
        MqttClient first = connect("alice", "right", null); // this login hashes; the broker remembers it
        first.disconnect();
        first.close();
        duringAFlood(() -> connect("alice", "right", null));
    }

    @Test
    void aFirstLoginFromAnotherAddressWaitsForAtMostOneWrongCheck() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        duringAFlood(() -> connect("bob", "also-right", other));
    }

    /** Starts the flood from 127.0.0.1, then the login must be connected within the bound. */
    private void duringAFlood(java.util.function.Supplier<MqttClient> correctLogin) throws Exception {
        flood = Flood.start(broker.port(), "alice", "wrong", InetAddress.getByName("127.0.0.1"));
        await().atMost(BOUND).until(() -> flood.sent() >= 100);
        CompletableFuture<MqttClient> login = CompletableFuture.supplyAsync(correctLogin);
        await().atMost(BOUND).until(login::isDone);
        assertThat(login.join().isConnected()).isTrue();
        login.join().disconnect();
        login.join().close();
    }

    @Test
    void pendingChecksPastTheBoundAreRefusedServerBusyAndCounted() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            int busy = 0;
            for (int i = 0; i < 30; i++) { // wrong passwords, sockets kept open: each holds its place
                Socket s = new Socket("127.0.0.1", broker.port());
                held.add(s);
                s.getOutputStream().write(connectV5("flood-" + i, "alice", "wrong"));
            }
            Socket v3 = new Socket("127.0.0.1", broker.port()); // MQTT 3.1.1 has no "server busy": closed
            held.add(v3);
            v3.getOutputStream().write(connectV311("flood-v3", "alice", "wrong"));
            v3.setSoTimeout(20_000);
            assertThat(v3.getInputStream().read()).isEqualTo(-1);
            held.remove(v3);
            v3.close();
            for (Socket s : held) {
                s.setSoTimeout(20_000);
                int first = s.getInputStream().read();
                if (first == 0x20) { // CONNACK: v5 carries the reason code in its variable header
                    InputStream in = s.getInputStream();
                    in.read(); // remaining length
                    in.read(); // session present
                    if (in.read() == 0x89) {
                        busy++;
                    }
                }
            }
            assertThat(busy).isGreaterThan(0);
            assertThat(broker.broker().stats().loginsRefusedBusy.sum()).isEqualTo(busy + 1); // and the v3 one
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private MqttClient connect(String user, String password, InetAddress from) {
        try {
            MqttClient c = new MqttClient(broker.uri(), user + System.nanoTime(), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName(user);
            o.setPassword(password.toCharArray());
            o.setConnectionTimeout(60);
            if (from != null) {
                o.setSocketFactory(new BoundSocketFactory(from));
            }
            c.connect(o);
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** CONNECT (MQTT 5, clean start) with a user name and password. */
    static byte[] connectV5(String clientId, String user, String password) {
        return MqttBytes.packet(0x10, MqttBytes.concat(MqttBytes.string("MQTT"), new byte[] {5, (byte) 0xC2},
                MqttBytes.u16(60), new byte[] {0}, MqttBytes.string(clientId), MqttBytes.string(user),
                MqttBytes.lengthPrefixed(password.getBytes(StandardCharsets.UTF_8))));
    }

    /** CONNECT (MQTT 3.1.1, clean session) with a user name and password. */
    static byte[] connectV311(String clientId, String user, String password) {
        return MqttBytes.packet(0x10, MqttBytes.concat(MqttBytes.string("MQTT"), new byte[] {4, (byte) 0xC2},
                MqttBytes.u16(60), MqttBytes.string(clientId), MqttBytes.string(user),
                MqttBytes.lengthPrefixed(password.getBytes(StandardCharsets.UTF_8))));
    }

    /** Paho's socket, bound to a chosen loopback address before it connects. */
    private static final class BoundSocketFactory extends SocketFactory {
        private final InetAddress local;

        BoundSocketFactory(InetAddress local) {
            this.local = local;
        }

        @Override
        public Socket createSocket() throws IOException {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(local, 0));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return createSocket(InetAddress.getByName(host), port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return new Socket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return new Socket(host, port, local, 0);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return new Socket(address, port, localAddress, localPort);
        }
    }

    /** 200 CONNECTs a second with a wrong password, each socket reset (SO_LINGER 0) right after. */
    static final class Flood implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger sent = new AtomicInteger();
        private final Thread thread;

        private Flood(int port, String user, String password, InetAddress from) {
            thread = new Thread(() -> {
                long next = System.nanoTime();
                while (running.get()) {
                    try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port, from, 0)) {
                        OutputStream out = s.getOutputStream();
                        out.write(connectV311("flood-" + sent.get(), user, password));
                        out.flush();
                        s.setSoLinger(true, 0);
                    } catch (IOException e) {
                        // the broker may refuse or reset first: the next one goes out anyway
                    }
                    sent.incrementAndGet();
                    next += 5_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            }, "wrong-password-flood");
            thread.setDaemon(true);
        }

        static Flood start(int port, String user, String password, InetAddress from) {
            Flood f = new Flood(port, user, password, from);
            f.thread.start();
            return f;
        }

        int sent() {
            return sent.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
