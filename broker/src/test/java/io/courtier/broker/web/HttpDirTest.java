package io.courtier.broker.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.Broker;
import io.courtier.broker.config.BrokerConfig;
import io.courtier.broker.config.ListenerConfig;
import io.courtier.broker.config.ListenerProtocol;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mosquitto's http_dir on a websockets listener: files under the directory and nothing else. */
class HttpDirTest {

    @TempDir
    Path tmp;
    private Broker broker;
    private int port;

    @BeforeEach
    void start() throws IOException {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
        Files.createDirectories(site.resolve("js"));
        Files.writeString(site.resolve("js/app.js"), "console.log(1)");
        Files.writeString(tmp.resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(site.resolve("escape.txt"), tmp.resolve("secret.txt"));
        broker = Broker.start(BrokerConfig.builder().listeners(List.of(ListenerConfig.mqtt(0, "127.0.0.1")
                        .withProtocol(ListenerProtocol.WEBSOCKETS).withHttpDir(site.toString())))
                .allowAnonymous(true).build(), "test");
        port = broker.port();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request line sent as is: HttpClient would normalise "..", a hostile client does not. */
    private String raw(String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesFilesUnderTheDirectory() throws Exception {
        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).isEqualTo("<h1>home</h1>");
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        HttpResponse<String> js = get("/js/app.js?v=3");
        assertThat(js.body()).isEqualTo("console.log(1)");
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/missing.html").statusCode()).isEqualTo(404);
    }

    @Test
    void nothingOutsideTheDirectoryIsReachable() throws Exception {
        for (String target : List.of("/../secret.txt", "/js/../../secret.txt", "/%2e%2e/secret.txt",
                "/..%2fsecret.txt", "/%2E%2E%2Fsecret.txt", "/..\\secret.txt", "/escape.txt",
                "/%00index.html", "//etc/passwd", "/%zz")) {
            String response = raw(target);
            assertThat(response).as(target).doesNotContain("top secret").doesNotContain("root:");
            assertThat(response).as(target).startsWith("HTTP/1.1 4");
        }
    }
}
