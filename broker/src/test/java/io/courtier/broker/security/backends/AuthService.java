package io.courtier.broker.security.backends;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP auth service for mosquitto-go-auth's http backend, on 127.0.0.1 port 0, written
 * against go-auth's documented protocol: it records every request (path, content type, fields)
 * and answers by status code: 200 allowed, 403 denied. Users, superusers and ACL grants are set
 * by the test; {@link #delay} makes it answer late.
 */
final class AuthService implements AutoCloseable {

    /** One request as the service read it. */
    record Request(String method, String path, String contentType, Map<String, String> fields) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Map<String, String> passwords = new ConcurrentHashMap<>();
    final Set<String> superusers = ConcurrentHashMap.newKeySet();
    /** Grants as "user acc topic", e.g. "alice 2 a/w". */
    final Set<String> grants = ConcurrentHashMap.newKeySet();
    volatile Duration delay = Duration.ZERO;
    /** "status" (default), or "text" to answer 200 with "ok" / "no". */
    volatile String responseMode = "status";

    AuthService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads); // a late answer does not hold the others
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Request> requestsTo(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            Map<String, String> fields = type != null && type.startsWith("application/x-www-form-urlencoded")
                    ? form(body) : json(body);
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, type, fields));
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            boolean ok = switch (path) {
                case "/auth" -> fields.get("password") != null
                        && fields.get("password").equals(passwords.get(fields.get("username")));
                case "/superuser" -> superusers.contains(fields.get("username"));
                case "/acl" -> grants.contains(fields.get("username") + " " + fields.get("acc") + " "
                        + fields.get("topic"));
                default -> false;
            };
            if (responseMode.equals("text")) {
                byte[] answer = (ok ? "ok" : "no").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } else {
                exchange.sendResponseHeaders(ok ? 200 : 403, -1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> json(String body) throws IOException {
        Map<String, String> out = new HashMap<>();
        JSON.readTree(body).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
