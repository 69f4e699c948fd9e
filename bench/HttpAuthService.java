import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * A stand-in for a user's HTTP auth service in auth-bench.sh (mosquitto-go-auth's protocol):
 * 200 to every user and ACL question, 403 to the superuser one. Run with
 * {@code java bench/HttpAuthService.java}; it prints the port it listens on.
 */
public class HttpAuthService {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                boolean yes = !exchange.getRequestURI().getPath().equals("/superuser");
                exchange.sendResponseHeaders(yes ? 200 : 403, -1);
            }
        });
        server.start();
        System.out.println(server.getAddress().getPort());
    }
}
