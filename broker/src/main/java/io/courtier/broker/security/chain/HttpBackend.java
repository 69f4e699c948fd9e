package io.courtier.broker.security.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courtier.broker.config.HttpBackendConfig;
import io.courtier.plugin.Access;
import io.courtier.plugin.ClientInfo;
import io.courtier.plugin.Decision;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mosquitto-go-auth's {@code http} backend, asked through the JDK's asynchronous HTTP client so
 * that no thread waits for the service. Requests carry what go-auth sends: {@code username},
 * {@code password}, {@code clientid} to the user URI; {@code username} to the superuser URI;
 * {@code username}, {@code clientid}, {@code topic}, {@code acc} (1 read, 2 write, 4 subscribe)
 * to the ACL URI; as JSON or as a form. A 2xx status allows (and in {@code text} mode the body
 * must be {@code ok}, in {@code json} mode {@code {"ok": true}}); any other 4xx or a refusing
 * body denies. A service that cannot be reached, times out or answers 5xx is "unavailable":
 * denied, or deferred to the next link under {@code auth_opt_backend_unavailable defer}. A
 * superuser is allowed every topic, as in go-auth.
 */
final class HttpBackend implements AuthLink {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpBackendConfig config;
    private final String base;
    private final HttpClient client;
    private final Decision unavailable;
    private final DecisionCache users;
    private final DecisionCache acls;

    HttpBackend(HttpBackendConfig config, boolean deferWhenUnavailable, boolean cache, int authCacheSeconds,
                int aclCacheSeconds) {
        this.config = config;
        this.base = (config.withTls() ? "https://" : "http://") + config.host() + ":" + config.port();
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(config.timeoutSeconds())).build();
        this.unavailable = deferWhenUnavailable ? Decision.DEFER : Decision.DENY;
        this.users = new DecisionCache(cache ? authCacheSeconds : 0);
        this.acls = new DecisionCache(cache ? aclCacheSeconds : 0);
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public CompletableFuture<Decision> authenticate(ClientInfo client, byte[] password) {
        String pw = password == null ? "" : new String(password, StandardCharsets.UTF_8);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("username", user(client));
        fields.put("password", pw);
        fields.put("clientid", client.clientId());
        // As go-auth, a user's answer is kept per user name and password, whatever the client id.
        String key = user(client) + '\0' + digest(pw);
        return users.get(key, () -> ask(config.getuserUri(), fields));
    }

    @Override
    public Decision authoriseNow(ClientInfo client, Access access, String topic) {
        if (config.superuserUri() != null && acls.get(superKey(client)) == Decision.ALLOW) {
            return Decision.ALLOW;
        }
        return acls.get(aclKey(client, access, topic));
    }

    @Override
    public CompletableFuture<Decision> authorise(ClientInfo client, Access access, String topic) {
        CompletableFuture<Decision> superuser = config.superuserUri() == null
                ? CompletableFuture.completedFuture(Decision.DENY)
                : acls.get(superKey(client), () -> ask(config.superuserUri(), Map.of("username", user(client))));
        return superuser.thenCompose(s -> {
            if (s == Decision.ALLOW) {
                return CompletableFuture.completedFuture(Decision.ALLOW);
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("username", user(client));
            fields.put("clientid", client.clientId());
            fields.put("topic", topic);
            fields.put("acc", access.code());
            return acls.get(aclKey(client, access, topic), () -> ask(config.aclcheckUri(), fields));
        });
    }

    private static String user(ClientInfo client) {
        return client.username() == null ? "" : client.username();
    }

    private static String superKey(ClientInfo client) {
        return "s\0" + user(client);
    }

    private static String aclKey(ClientInfo client, Access access, String topic) {
        return access.code() + "\0" + user(client) + '\0' + client.clientId() + '\0' + topic;
    }

    /** The cache keeps a digest, not the password. */
    private static String digest(String password) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private CompletableFuture<Decision> ask(String path, Map<String, Object> fields) {
        HttpRequest request;
        try {
            request = request(path, fields);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(unavailable);
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, e) -> {
            if (e != null) {
                LOG.warn("HTTP auth service at {} could not be asked: {}", base + path, rootCause(e));
                return unavailable;
            }
            return answer(path, response);
        });
    }

    private HttpRequest request(String path, Map<String, Object> fields) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(config.timeoutSeconds()))
                .header("User-Agent", "courtier");
        if (config.paramsMode().equals("form")) {
            // go-auth posts forms whatever http_method says.
            StringBuilder form = new StringBuilder();
            for (Map.Entry<String, Object> f : fields.entrySet()) {
                if (form.length() > 0) {
                    form.append('&');
                }
                form.append(URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(String.valueOf(f.getValue()), StandardCharsets.UTF_8));
            }
            return b.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        }
        return b.header("Content-Type", "application/json")
                .method(config.method(), HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(fields)))
                .build();
    }

    private Decision answer(String path, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500) {
            LOG.warn("HTTP auth service at {} answered {}.", base + path, status);
            return unavailable;
        }
        if (status < 200 || status >= 300) {
            return Decision.DENY;
        }
        return switch (config.responseMode()) {
            case "text" -> response.body().equals("ok") ? Decision.ALLOW : Decision.DENY;
            case "json" -> jsonOk(path, response.body());
            default -> Decision.ALLOW;
        };
    }

    private Decision jsonOk(String path, String body) {
        try {
            JsonNode ok = JSON.readTree(body).get("ok");
            return ok != null && ok.asBoolean(false) ? Decision.ALLOW : Decision.DENY;
        } catch (IOException e) {
            LOG.warn("HTTP auth service at {} answered JSON that cannot be read: {}", base + path, e.getMessage());
            return unavailable;
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }
}
