#!/usr/bin/env bash
# Bridged throughput: messages per second through a bridge, Courtier next to Mosquitto bridging
# the same way, in the same run. A remote Debian mosquitto R; the bridging broker B (mosquitto,
# then Courtier) runs the same connection block ("topic bench/# out QOS" to R, both brokers'
# default in-flight and queue limits; the remote has no queue limit); `courtier bench pub` publishes to B for DURATION seconds
# while `courtier bench sub` counts what arrives on R. Prints one line per broker: messages the
# publishers had acknowledged, messages received on R, the rate over the publishing time, and B's
# CPU seconds.
#
#   bench/bridge.sh            # QoS 1, 4 publishers, 10 s
#   QOS=0 PUBLISHERS=1 DURATION=20 bench/bridge.sh
#   EXTRA="max_queued_messages 0" bench/bridge.sh    # a line added to both bridging brokers' files
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
qos=${QOS:-1}
publishers=${PUBLISHERS:-4}
duration=${DURATION:-10}
command -v mosquitto >/dev/null || { echo "bridge.sh: Debian's mosquitto is needed" >&2; exit 1; }

"$root/courtier" --version >/dev/null # builds the distribution if needed
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)
courtier="$root/dist/target/courtier/courtier-$version/bin/courtier"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
tck=$(getconf CLK_TCK)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
await_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

remote=$(free_port)
# The remote keeps everything for its subscriber (no queue limit): what is lost is the bridge's.
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$remote" > "$work/remote.conf"
mosquitto -c "$work/remote.conf" > "$work/remote.log" 2>&1 & pids+=($!)
await_port "$remote"

for name in mosquitto courtier; do
  port=$(free_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nconnection bench\naddress 127.0.0.1:%s\n' "$port" "$remote" \
    > "$work/$name.conf"
  printf 'remote_clientid bridge-%s\ntopic bench/# out %s\nrestart_timeout 1\n%s\n' "$name" "$qos" "${EXTRA:-}" \
    >> "$work/$name.conf"
  if [ "$name" = mosquitto ]; then
    mosquitto -c "$work/$name.conf" > "$work/$name.log" 2>&1 &
  else
    JAVA_OPTS="${COURTIER_JAVA_OPTS:-}" "$courtier" -c "$work/$name.conf" > "$work/$name.log" 2>&1 &
  fi
  broker=$!; pids+=("$broker")
  await_port "$port"
  # The bridge is up once its retained state notification on R says 1.
  for _ in $(seq 100); do
    [ "$(mosquitto_sub -p "$remote" -t "\$SYS/broker/connection/bridge-$name/state" -C 1 -W 2 2>/dev/null)" = 1 ] \
      && break
    sleep 0.2
  done
  "$courtier" bench sub -p "$remote" -q "$qos" -t 'bench/#' -d $((duration + 10)) > "$work/$name.sub" 2>&1 &
  sub=$!; pids+=("$sub")
  sleep 2 # the subscriber is in place
  before=$(cpu_ticks "$broker")
  "$courtier" bench pub -p "$port" -q "$qos" -P "$publishers" -d "$duration" > "$work/$name.pub" 2>&1
  wait "$sub" || true
  after=$(cpu_ticks "$broker")
  kill "$broker"; wait "$broker" 2>/dev/null || true
  pub=$(grep '^RESULT' "$work/$name.pub" || true)
  got=$(grep '^RESULT' "$work/$name.sub" || true)
  acked=$(field "$pub" acked); received=$(field "$got" received)
  printf '%-9s qos %s: acked %8s  received on the remote %8s  rate %8.0f msg/s  bridging broker cpu %.2f s\n' \
    "$name" "$qos" "$acked" "$received" "$(bc -l <<<"$received / $duration")" "$(bc -l <<<"($after - $before) / $tck")"
done
