package io.courtier.cli.client;

/** The --help text of {@code courtier pub} and {@code courtier sub}: the flags of mosquitto_pub/sub 2.0. */
final class Usage {
    private Usage() {
    }

    private static final String COMMON = """
             -A : bind the outgoing socket to this local address.
             -c : keep the session when disconnecting (clean session off); needs -i.
             -d : print a line for every packet sent and received.
             -D : add an MQTT 5 property: -D COMMAND NAME VALUE (user-property: NAME KEY VALUE).
             -h : broker host. Default: localhost.
             -i : client id. Default: assigned by the broker.
             -I : client id prefix; the process id is appended.
             -k : keepalive in seconds (5 to 65535). Default: 60.
             -L : mqtt(s)://[user[:password]@]host[:port]/topic (also ws:// and wss://, path /mqtt).
             -M : most QoS 1/2 messages in flight at once. Default: 20.
             -p : broker port. Default: 1883, or 8883 with TLS.
             -P : password.
             -q : QoS 0, 1 or 2. Default: 0.
             -t : topic.
             -u : username.
             -V : protocol version: mqttv31, mqttv311 or mqttv5 (or 31, 311, 5). Default: mqttv311.
             -x : MQTT 5 session expiry interval in seconds; -1 for never.
             --help : print this text.
             --nodelay : accepted; Nagle's algorithm is always off.
             --quiet : print no error messages about the connection.
             --will-topic : topic of the will message the broker sends if the connection drops.
             --will-payload : payload of the will (default: empty).
             --will-qos : QoS of the will.
             --will-retain : retain the will.
             --cafile : PEM file of trusted CA certificates; turns TLS on.
             --capath : directory of trusted PEM CA certificates; turns TLS on.
             --cert : client certificate (PEM) when the broker asks for one.
             --key : client private key (PKCS#8 PEM) for --cert.
             --insecure : do not check that the broker's certificate names the host.
             --tls-use-os-certs : trust the JVM's default CA certificates; turns TLS on.
             --tls-version : tlsv1.3, tlsv1.2 or tlsv1.1. Default: 1.3 or 1.2.
            """;

    static String text(ClientConfig.Tool tool) {
        if (tool == ClientConfig.Tool.PUB) {
            return """
                    courtier pub publishes one message, a file, or each line of its input, then exits.

                    Usage: courtier pub {[-h host] [-p port] [-u username] [-P password] -t topic | -L URL}
                                        {-f file | -l | -n | -m message | -s}
                                        [-c] [-k keepalive] [-q qos] [-r] [--repeat N] [--repeat-delay time]
                                        [-x session-expiry] [-A bind_address] [-i id] [-I id_prefix] [-d] [--quiet]
                                        [-M max_inflight] [-V protocol-version] [-D command identifier value]
                                        [--will-topic [--will-payload payload] [--will-qos qos] [--will-retain]]
                                        [{--cafile file | --capath dir} [--cert file] [--key file] [--insecure]
                                         [--tls-version version] [--tls-use-os-certs]]
                           courtier pub --help

                     -f : send the contents of a file as the message.
                     -l : send each line of standard input as a message (empty lines as empty messages).
                     -m : the message to send.
                     -n : send an empty (zero length) message.
                     -r : ask the broker to retain the message.
                     -s : send all of standard input as one message.
                     --repeat : with -m, -f, -n or -s, publish the message N times.
                     --repeat-delay : seconds to wait between repeats (may be fractional).
                    """ + COMMON;
        }
        return """
                courtier sub subscribes to topics and prints the messages it receives.

                Usage: courtier sub {[-h host] [-p port] [-u username] [-P password] -t topic ... | -L URL [-t topic]}
                                    [-c] [-k keepalive] [-q qos] [-x session-expiry] [-C msg_count] [-E] [-R]
                                    [--retained-only] [--remove-retained] [-T filter_out ...] [-U topic ...]
                                    [-F format] [--pretty] [-W timeout_secs] [-A bind_address] [-i id] [-I id_prefix]
                                    [-d] [-N] [--quiet] [-v] [-V protocol-version] [-D command identifier value]
                                    [--will-topic [--will-payload payload] [--will-qos qos] [--will-retain]]
                                    [{--cafile file | --capath dir} [--cert file] [--key file] [--insecure]
                                     [--tls-version version] [--tls-use-os-certs]]
                       courtier sub --help

                 -C : exit after printing this many messages.
                 -E : exit once the broker has acknowledged the subscriptions.
                 -F : print each message with this format (%t topic, %p payload, %q QoS, %r retained,
                      %m message id, %l length, %x/%X hex payload, %I %U times, %j %J JSON,
                      @X strftime fields, \\n \\t escapes; see mosquitto_sub(1)).
                 -N : do not print a new line after each message.
                 -R : do not print retained (stale) messages.
                 -T : do not print messages whose topic matches this filter; may be repeated.
                 -t : topic filter to subscribe to; may be repeated.
                 -U : unsubscribe from this filter after subscribing; may be repeated.
                 -v : print "topic payload".
                 -W : exit with status 27 after this many seconds.
                 --pretty : indent the %j and %J JSON output.
                 --random-filter : print only this percentage of the messages.
                 --remove-retained : clear each retained message received (except those -T filters out).
                 --retain-as-published : ask for the retain flag as the publisher set it (MQTT 5).
                 --retained-only : print retained messages only; exit at the first fresh one.
                """ + COMMON;
    }
}
