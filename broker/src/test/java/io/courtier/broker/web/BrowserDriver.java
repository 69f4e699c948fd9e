package io.courtier.broker.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a scenario of src/test/js/browser.js (playwright-core driving Debian's headless
 * Chromium) and returns what it observed. The Node project's dependencies come from
 * {@code npm ci} in src/test/js: .ci/run does it, and so does the first browser test when npm
 * is there and they are not, so that {@code mvn verify} alone is enough.
 */
final class BrowserDriver {
    private BrowserDriver() {
    }

    static final Path JS_DIR = Path.of("src/test/js").toAbsolutePath();
    static final Path OUT_DIR = Path.of("target/browser-screenshots").toAbsolutePath();
    static final Path MQTT_JS = Path.of("src/main/resources/io/courtier/broker/web/console/vendor/mqtt.min.js")
            .toAbsolutePath();

    /** Skips (or fails under CI) when Chromium, Node or the npm dependencies are missing. */
    static void requireBrowser() {
        External.require("node");
        External.require("mosquitto_pub");
        External.require("mosquitto_sub");
        External.requirePresent(Files.isExecutable(Path.of("/usr/bin/chromium")), "/usr/bin/chromium (Debian package chromium)");
        installNodeDependencies();
        External.requirePresent(Files.isDirectory(JS_DIR.resolve("node_modules/playwright-core")),
                "playwright-core (run `npm ci` in broker/src/test/js)");
    }

    private static synchronized void installNodeDependencies() {
        if (Files.isDirectory(JS_DIR.resolve("node_modules/playwright-core"))) {
            return;
        }
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(JS_DIR.toFile()).inheritIO().start();
            if (!npm.waitFor(300, TimeUnit.SECONDS)) {
                npm.destroyForcibly().waitFor();
            }
        } catch (IOException e) {
            // no npm: the check below skips (or fails under CI) with the way to fix it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<String, String> run(String scenario, Map<String, Object> args) throws IOException, InterruptedException {
        Files.createDirectories(OUT_DIR);
        Map<String, Object> all = new HashMap<>(args);
        all.put("outDir", OUT_DIR.toString());
        all.put("mqttJs", MQTT_JS.toString());
        Path stdout = Files.createTempFile(OUT_DIR, scenario, ".out");
        ProcessBuilder pb = new ProcessBuilder("node", "browser.js", scenario, json(all))
                .directory(JS_DIR.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) { // browser.js gives up by itself after 110 s
            p.destroyForcibly().waitFor();
        }
        assertThat(p.exitValue()).as("node browser.js exit code").isZero();
        Map<String, String> result = new HashMap<>();
        for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            if (space > 0) {
                result.put(line.substring(0, space),
                        new String(Base64.getDecoder().decode(line.substring(space + 1).trim()), StandardCharsets.UTF_8));
            }
        }
        Files.delete(stdout);
        assertThat(result.get("error")).as("browser scenario error").isNull();
        return result;
    }

    private static String json(Map<String, Object> args) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : args.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                b.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return b.append('}').toString();
    }
}
