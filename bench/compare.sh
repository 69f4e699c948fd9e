#!/usr/bin/env bash
# Runs the same load scenarios against Debian's mosquitto and Courtier, one after the other on
# loopback in one run, and prints one table with both and their ratios.
#
#   bench/compare.sh            # every scenario, 10 s each (about 9 minutes)
#   DURATION=5 bench/compare.sh # shorter
#   SCENARIOS="fanin-q0 latency-q1" bench/compare.sh
#
# Both brokers get equivalent configurations: a loopback listener, anonymous clients, and either
# the defaults (max_inflight_messages 20, max_queued_messages 1000: brokers drop QoS 1/2 once a
# subscriber's queue is full) or "lossless" (max_inflight_messages 0, max_queued_messages 0).
# Efficiency is delivered messages per second of broker CPU (utime+stime from /proc/PID/stat),
# because on a small machine the broker and the generator share the cores.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${DURATION:-10}
scenarios=${SCENARIOS:-"fanin-q0 fanin-q1 fanin-q1-lossless fanin-q2 fanin-q2-lossless fanout-q0 pairs-q1 latency-q1 latency-q1-steady conn-10000 conn-10000-flat"}
command -v mosquitto >/dev/null || { echo "compare.sh: Debian's mosquitto is needed (apt-get install mosquitto)" >&2; exit 1; }

"$root/courtier" --version >/dev/null # builds the distribution if needed
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)
courtier="$root/dist/target/courtier/courtier-$version/bin/courtier"
work=$(mktemp -d)
broker_pid=
cleanup() { [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
tck=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }

# start_broker NAME LOSSLESS -> sets broker_pid and port
start_broker() {
  local name=$1 lossless=$2 conf="$work/$1.conf"
  port=$(free_port)
  {
    echo "listener $port 127.0.0.1"
    echo "allow_anonymous true"
    if [ "$lossless" = 1 ]; then echo "max_inflight_messages 0"; echo "max_queued_messages 0"; fi
  } > "$conf"
  if [ "$name" = mosquitto ]; then
    mosquitto -c "$conf" > "$work/$name.log" 2>&1 &
  else
    JAVA_OPTS="${COURTIER_JAVA_OPTS:-}" "$courtier" -c "$conf" > "$work/$name.log" 2>&1 &
  fi
  broker_pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "compare.sh: $name did not start:" >&2; cat "$work/$name.log" >&2; exit 1
}

stop_broker() { kill "$broker_pid"; wait "$broker_pid" 2>/dev/null || true; broker_pid=; }

field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# run_one BROKER SCENARIO -> prints "rate efficiency lost dup p50 p99 extra"
run_one() {
  local broker=$1 scenario=$2 lossless=0 args result cpu0 cpu1 rss0 rss1 seconds=$duration
  [[ $scenario == *-lossless ]] && lossless=1
  case $scenario in
    fanin-q*) args="fanin -P 4 -q ${scenario:7:1}" ;;
    fanout-q0) args="fanout -S 50 -q 0" ;;
    pairs-q1) args="pairs -P 10 -q 1" ;;
    # Latency leaves the first seconds out for both brokers: the generator is a JVM too, and its
    # first second is slow. "steady" runs 20 s first, time for a JVM broker's JIT to settle.
    latency-q1) args="latency -q 1 -r 5000 --warmup 2" ;;
    latency-q1-steady) args="latency -q 1 -r 5000 --warmup 20"; seconds=$((duration + 20)) ;;
    conn-10000) args="conn -c 10000 --connect-rate 2000" ;;
    # As fast as each broker accepts: the connect rate (the generator is a JVM on the same cores).
    conn-10000-flat) args="conn -c 10000 --connect-rate 0" ;;
  esac
  start_broker "$broker" "$lossless"
  # The idle broker's memory is read once its start-up is over: a JVM hands back the C heap its
  # start-up and JIT used some seconds after (-XX:TrimNativeHeapInterval), which would otherwise
  # count against the connections.
  [[ $scenario == conn-* ]] && sleep 12
  rss0=$(rss_kb "$broker_pid"); cpu0=$(cpu_ticks "$broker_pid")
  if [[ $scenario == conn-* ]]; then
    # Read the broker's memory while the connections are held and idle (10 s after the last
    # one is ready: long enough for a JVM to hand back heap it grew while they connected).
    "$courtier" bench $args -p "$port" -d 14 > "$work/out" 2>&1 &
    local gen=$!
    until grep -q 'ready in' "$work/out" 2>/dev/null || ! kill -0 $gen 2>/dev/null; do sleep 0.2; done
    sleep 10; rss1=$(rss_kb "$broker_pid")
    wait $gen || true
  else
    "$courtier" bench $args -p "$port" -d "$seconds" > "$work/out" 2>&1 || true
    rss1=$(rss_kb "$broker_pid")
  fi
  cpu1=$(cpu_ticks "$broker_pid")
  stop_broker
  result=$(grep '^RESULT' "$work/out" || { cat "$work/out" >&2; echo "RESULT"; })
  local cpu_s; cpu_s=$(awk -v a="$cpu0" -v b="$cpu1" -v t="$tck" 'BEGIN{printf "%.2f", (b-a)/t}')
  if [[ $scenario == conn-* ]]; then
    local ready; ready=$(field "$result" ready)
    awk -v r="$ready" -v s="$(field "$result" ready_seconds)" -v a="$rss0" -v b="$rss1" -v c="$cpu_s" \
        -v rate="$(field "$result" connect_rate)" \
      'BEGIN{printf "%s %.1f %s %.2f %s\n", r, (b-a)/(r>0?r:1), s, c, rate}'
  else
    awk -v rate="$(field "$result" in_rate)" -v recv="$(field "$result" received)" -v c="$cpu_s" \
        -v lost="$(field "$result" lost)" -v dup="$(field "$result" duplicates)" \
        -v p50="$(field "$result" p50_ms)" -v p99="$(field "$result" p99_ms)" \
        -v gen="$(field "$result" gen_cpu_s)" \
      'BEGIN{printf "%s %.0f %s %s %s %s %s %s\n", rate, (c>0?recv/c:0), lost, dup, p50, p99, c, gen}'
  fi
}

echo "machine: $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "columns: delivered msg/s, delivered messages per broker CPU-second, lost, broker/generator CPU seconds"
printf '%-20s | %-54s | %-54s | %s\n' scenario "mosquitto $(mosquitto -h 2>/dev/null | sed -n 's/.*version \([0-9.]*\).*/\1/p' | head -1)" "courtier $version" "courtier/mosquitto"
for s in $scenarios; do
  read -r -a m <<<"$(run_one mosquitto "$s")"
  read -r -a c <<<"$(run_one courtier "$s")"
  if [[ $s == conn-* ]]; then
    printf '%-20s | ready %-6s %7.1f KB/conn  %6ss %6s/s     | ready %-6s %7.1f KB/conn  %6ss %6s/s     | RSS/conn %.2fx  connect rate %.2fx\n' \
      "$s" "${m[0]}" "${m[1]}" "${m[2]}" "${m[4]}" "${c[0]}" "${c[1]}" "${c[2]}" "${c[4]}" \
      "$(awk -v a="${c[1]}" -v b="${m[1]}" 'BEGIN{print (b>0?a/b:0)}')" \
      "$(awk -v a="${c[4]}" -v b="${m[4]}" 'BEGIN{print (b>0?a/b:0)}')"
  elif [[ $s == latency-* ]]; then
    printf '%-20s | p50 %6s ms p99 %6s ms lost %-6s                   | p50 %6s ms p99 %6s ms lost %-6s                   | p99 %.2fx\n' \
      "$s" "${m[4]}" "${m[5]}" "${m[2]}" "${c[4]}" "${c[5]}" "${c[2]}" \
      "$(awk -v a="${c[5]}" -v b="${m[5]}" 'BEGIN{print (b>0?a/b:0)}')"
  else
    printf '%-20s | %8.0f msg/s %8s msg/cpu-s lost %-7s cpu %5s/%-5s | %8.0f msg/s %8s msg/cpu-s lost %-7s cpu %5s/%-5s | rate %.2fx  efficiency %.2fx\n' \
      "$s" "${m[0]}" "${m[1]}" "${m[2]}" "${m[6]}" "${m[7]}" "${c[0]}" "${c[1]}" "${c[2]}" "${c[6]}" "${c[7]}" \
      "$(awk -v a="${c[0]}" -v b="${m[0]}" 'BEGIN{print (b>0?a/b:0)}')" \
      "$(awk -v a="${c[1]}" -v b="${m[1]}" 'BEGIN{print (b>0?a/b:0)}')"
  fi
done
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
