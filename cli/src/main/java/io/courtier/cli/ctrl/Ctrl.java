package io.courtier.cli.ctrl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courtier.broker.security.dynsec.DynamicSecurity;
import io.courtier.cli.client.ClientConfig;
import io.courtier.cli.client.ClientTool;
import io.courtier.cli.client.Output;
import io.courtier.client.MqttClient;
import io.courtier.codec.MqttVersion;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code courtier ctrl}: mosquitto_ctrl's flags, commands and output, so that a script changes
 * one word. {@code dynsec init} writes a new file locally; every other {@code dynsec} command
 * is sent to the broker's {@code $CONTROL/dynamic-security/v1} over MQTT 5 and its answer
 * printed as mosquitto_ctrl prints it.
 */
public final class Ctrl {

    /** How long to wait for the broker's answer. */
    private static final long RESPONSE_TIMEOUT_SECONDS = 10;
    /** libmosquitto's MOSQ_ERR_ERRNO: what mosquitto_ctrl exits with when it cannot connect. */
    private static final int NETWORK_ERROR = 14;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public Ctrl(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public int run(String... args) {
        ClientConfig c = new ClientConfig(ClientConfig.Tool.SUB);
        c.version = MqttVersion.V5;
        int i;
        try {
            i = CtrlOptions.parse(args, c);
        } catch (CtrlException e) {
            err.println(e.getMessage());
            return e.status;
        }
        if (i >= args.length || args[i].equals("help") || args[i].equals("--help")) {
            out.print(CtrlHelp.general());
            return 1;
        }
        if (!args[i].equals("dynsec")) {
            err.println("Error: Module '" + args[i] + "' not supported.");
            return 1;
        }
        String[] command = Arrays.copyOfRange(args, i + 1, args.length);
        if (command.length == 0 || command[0].equals("help")) {
            out.print(CtrlHelp.dynsec());
            return command.length == 0 ? 1 : 0;
        }
        if (command[0].equals("init")) {
            return init(command);
        }
        ObjectNode request;
        try {
            request = DynsecRequests.build(command, this::askPassword);
        } catch (CtrlException e) {
            err.println(e.getMessage());
            return e.status;
        }
        if (!c.tls()) {
            err.println("Warning: You are running courtier ctrl without encryption.");
            err.println("This means all of the configuration changes you are making are visible on the network, "
                    + "including passwords.");
            err.println();
        }
        return send(c, request);
    }

    private int init(String[] command) {
        if (command.length < 3) {
            err.println("Error: Invalid function arguments provided.");
            return CtrlException.INVALID;
        }
        Path file = Path.of(command[1]);
        String admin = command[2];
        if (Files.exists(file)) {
            err.println("dynsec init: '" + file + "' already exists. Remove the file or use a different location..");
            return 0; // as mosquitto_ctrl: reported, not a failure status
        }
        String password = command.length > 3 ? command[3] : askPassword(admin, false);
        if (password == null || password.isEmpty()) {
            err.println("Error: Empty password.");
            return 0;
        }
        try {
            DynamicSecurity.init(file, admin, password);
        } catch (RuntimeException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        out.println("The client '" + admin + "' has been created in the file '" + file + "'.");
        out.print(CtrlHelp.afterInit());
        return 0;
    }

    /** The connection, one request, one answer: mosquitto_ctrl's exchange. */
    private int send(ClientConfig c, ObjectNode command) {
        ObjectNode payload = DynsecRequests.JSON.createObjectNode();
        payload.putArray("commands").add(command);
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        MqttClient client;
        try {
            client = new MqttClient(ClientTool.options(c, c.clientId == null ? "" : c.clientId, new Output(out))
                    .build());
        } catch (ClientTool.SetupException e) {
            err.println(e.getMessage());
            return 1;
        }
        client.onMessage(m -> {
            if (m.topic().equals(DynamicSecurity.RESPONSE_TOPIC)) {
                byte[] bytes = new byte[m.payload().readableBytes()];
                m.payload().getBytes(m.payload().readerIndex(), bytes);
                answer.complete(bytes);
            }
        });
        try {
            try {
                client.connect().get(RESPONSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                Throwable cause = ClientTool.unwrapCause(e);
                if (cause instanceof io.courtier.client.MqttConnectException refused) {
                    err.println("Connection error: " + refused.getMessage());
                    return 0; // mosquitto_ctrl's status when the broker refuses the login
                }
                err.println(ClientTool.describeNetworkError(cause));
                return NETWORK_ERROR;
            }
            client.subscribe(DynamicSecurity.RESPONSE_TOPIC, 1).get(RESPONSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            client.publish(DynamicSecurity.TOPIC, payload.toString().getBytes(StandardCharsets.UTF_8), 1, false)
                    .get(RESPONSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            byte[] response = answer.get(RESPONSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            JsonNode root = DynsecRequests.JSON.readTree(response);
            for (JsonNode r : root.path("responses")) {
                DynsecPrinter.print(r, out, err);
            }
            client.disconnect().get(RESPONSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return 0;
        } catch (TimeoutException e) {
            err.println("Timed out waiting for a response from the broker.");
            return 1;
        } catch (Exception e) {
            err.println(ClientTool.describeNetworkError(ClientTool.unwrapCause(e)));
            return 1;
        } finally {
            client.close();
            out.flush();
            err.flush();
        }
    }

    /** mosquitto_ctrl's prompt; createClient may leave it empty (no password), the others may not. */
    private String askPassword(String username, boolean mayBeEmpty) {
        if (mayBeEmpty) {
            out.println("Enter new password for " + username + ". Press return for no password (user will be unable "
                    + "to login).");
        }
        out.print("New password for " + username + ": ");
        out.flush();
        String line;
        java.io.Console console = System.console();
        if (console != null && in == System.in) {
            char[] pw = console.readPassword();
            line = pw == null ? null : new String(pw);
        } else {
            try {
                line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            } catch (java.io.IOException e) {
                line = null;
            }
        }
        if (mayBeEmpty || line != null) {
            out.println(); // mosquitto_ctrl ends the prompt's line, except for setClientPassword at end of input
        }
        return line;
    }

}
