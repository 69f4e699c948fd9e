#!/usr/bin/env python3
"""Times correct MQTT logins while wrong ones flood the broker (the red team's test of issue 25).

  bench/login-flood.py passwords FILE ITERATIONS   # users alice, u1..u40, all with password "right"
  bench/login-flood.py flood PORT SECONDS [FROM]   # FROM: source address of first logins (127.0.0.2)

The flood: 200 CONNECTs a second (MQTT 3.1.1) from 127.0.0.1 as alice with a wrong password, each
socket reset (SO_LINGER 0) right after sending. Meanwhile, every 200 ms: one correct login of alice
(a user the broker has seen log in) and one first login of the next u-user from FROM, each timed from
connect() to CONNACK. Works against any broker (Courtier, Debian's mosquitto) given the same file.
"""
import base64, hashlib, os, socket, statistics, struct, sys, threading, time


def mqtt_string(text):
    data = text.encode()
    return struct.pack('>H', len(data)) + data


def connect_packet(client_id, user, password):
    body = mqtt_string('MQTT') + bytes([4, 0xC2]) + struct.pack('>H', 60) + mqtt_string(client_id) \
        + mqtt_string(user) + mqtt_string(password)
    n, length = len(body), b''
    while True:
        digit, n = n % 128, n // 128
        length += bytes([digit | (0x80 if n else 0)])
        if not n:
            return b'\x10' + length + body


def flood(port, stop, sent):
    while not stop.is_set():
        started = time.monotonic()
        try:
            s = socket.create_connection(('127.0.0.1', port), source_address=('127.0.0.1', 0))
            s.sendall(connect_packet('flood-%d' % sent[0], 'alice', 'wrong'))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            s.close()
        except OSError:
            pass
        sent[0] += 1
        time.sleep(max(0.0, 0.005 - (time.monotonic() - started)))


def login(port, user, source='127.0.0.1'):
    started = time.monotonic()
    s = socket.create_connection(('127.0.0.1', port), timeout=120, source_address=(source, 0))
    s.sendall(connect_packet('good-%s-%d' % (user, time.monotonic_ns()), user, 'right'))
    connack = s.recv(4)
    millis = (time.monotonic() - started) * 1000
    s.sendall(b'\xe0\x00')
    s.close()
    return millis, connack[3] if len(connack) == 4 else None


def summary(values):
    return 'n=%d median %.1f ms, max %.1f ms' % (len(values), statistics.median(values), max(values))


def measure(port, seconds, source):
    print('first login of alice, no flood: %.1f ms (CONNACK code %s)' % login(port, 'alice'))
    stop, sent = threading.Event(), [0]
    t = threading.Thread(target=flood, args=(port, stop, sent), daemon=True)
    t.start()
    time.sleep(1.0)
    again, first, n = [], [], 1
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        again.append(login(port, 'alice')[0])
        if n <= 40:
            first.append(login(port, 'u%d' % n, source)[0])
            n += 1
        time.sleep(0.2)
    stop.set()
    t.join()
    print('flood: %d wrong CONNECTs (%.0f a second)' % (sent[0], sent[0] / (seconds + 1.0)))
    print('correct login of alice again:', summary(again))
    print('first correct login of a user, from %s:' % source, summary(first))


def passwords(path, iterations):
    with open(path, 'w') as f:
        for user in ['alice'] + ['u%d' % i for i in range(1, 41)]:
            salt = os.urandom(12)
            digest = hashlib.pbkdf2_hmac('sha512', b'right', salt, iterations, 64)
            f.write('%s:$7$%d$%s$%s\n' % (user, iterations, base64.b64encode(salt).decode(),
                                          base64.b64encode(digest).decode()))


if __name__ == '__main__':
    if len(sys.argv) >= 4 and sys.argv[1] == 'passwords':
        passwords(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) >= 4 and sys.argv[1] == 'flood':
        measure(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else '127.0.0.2')
    else:
        sys.exit(__doc__)
