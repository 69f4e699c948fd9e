#!/usr/bin/env bash
# Runs the same load scenarios against Debian's mosquitto and Courtier, one after the other on
# loopback in one run, and prints one table with both and their ratios.
#
#   bench/compare.sh            # every scenario, 10 s each (about 9 minutes)
#   DURATION=5 bench/compare.sh # shorter
#   SCENARIOS="fanin-q0 latency-q1" bench/compare.sh
#   SCENARIOS="fresh fresh-persist start first-second" bench/compare.sh   # the process rows of README's
#                               # "Memory, start-up and connections" (RSS, exec to listening, first second)
#
# Both brokers get equivalent configurations: a loopback listener, anonymous clients, and either
# the defaults (max_inflight_messages 20, max_queued_messages 1000: brokers drop QoS 1/2 once a
# subscriber's queue is full) or "lossless" (max_inflight_messages 0, max_queued_messages 0).
# Efficiency is delivered messages per second of broker CPU (utime+stime from /proc/PID/stat),
# because on a small machine the broker and the generator share the cores.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${DURATION:-10}
scenarios=${SCENARIOS:-"fanin-q0 fanin-q1 fanin-q1-lossless fanin-q2 fanin-q2-lossless fanout-q0 pairs-q1 latency-q1 latency-q1-steady conn-10000 conn-10000-flat fresh fresh-persist start first-second"}
starts=${STARTS:-5} # cold starts per broker for "start" and "first-second"
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

# start_broker NAME LOSSLESS [PERSIST] -> sets broker_pid and port
start_broker() {
  local name=$1 lossless=$2 persist=${3:-0} conf="$work/$1.conf"
  port=$(free_port)
  {
    echo "listener $port 127.0.0.1"
    echo "allow_anonymous true"
    if [ "$lossless" = 1 ]; then echo "max_inflight_messages 0"; echo "max_queued_messages 0"; fi
    if [ "$persist" = 1 ]; then
      rm -rf "$work/$name.data"; mkdir -p "$work/$name.data"
      echo "persistence true"; echo "persistence_location $work/$name.data/"
    fi
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
    # Per connection against the idle broker's RSS, and the RSS with them held: a launcher that
    # keeps the idle broker smaller shows in the second even where the first grows.
    awk -v r="$ready" -v s="$(field "$result" ready_seconds)" -v a="$rss0" -v b="$rss1" -v c="$cpu_s" \
        -v rate="$(field "$result" connect_rate)" \
      'BEGIN{printf "%s %.1f %s %.2f %s %.1f\n", r, (b-a)/(r>0?r:1), s, c, rate, b/1024}'
  else
    awk -v rate="$(field "$result" in_rate)" -v recv="$(field "$result" received)" -v c="$cpu_s" \
        -v lost="$(field "$result" lost)" -v dup="$(field "$result" duplicates)" \
        -v p50="$(field "$result" p50_ms)" -v p99="$(field "$result" p99_ms)" \
        -v gen="$(field "$result" gen_cpu_s)" \
      'BEGIN{printf "%s %.0f %s %s %s %s %s %s\n", rate, (c>0?recv/c:0), lost, dup, p50, p99, c, gen}'
  fi
}

# Milliseconds from exec of the broker's command (Courtier: its launcher script, JVM flags, class-data
# archive, as installed) until its port accepts a connection, polled every millisecond; then the
# broker is stopped. With "stream", a QoS 1 stream at 5,000 msg/s is started the moment the port
# opens and its p99 over that first second is printed instead.
cold_start() {
  local name=$1 mode=$2 conf="$work/$1.conf" cmd
  port=$(free_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" > "$conf"
  if [ "$name" = mosquitto ]; then cmd="mosquitto -c $conf"; else cmd="$courtier -c $conf"; fi
  JAVA_OPTS="${COURTIER_JAVA_OPTS:-}" python3 - "$port" "$mode" "$courtier" $cmd <<'PY'
import os, socket, subprocess, sys, time
port, mode, courtier, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
t0 = time.monotonic()
broker = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while True:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        break
    except OSError:
        if broker.poll() is not None or time.monotonic() - t0 > 30:
            print("nan"); sys.exit(0)
        time.sleep(0.001)
listening = (time.monotonic() - t0) * 1000
if mode == "stream":
    out = subprocess.run([courtier, "bench", "latency", "-q", "1", "-r", "5000", "-d", "1", "-p", str(port)],
                         capture_output=True, text=True, env={**os.environ, "JAVA_OPTS": ""}).stdout
    p99 = [f.split("=")[1] for line in out.splitlines() if line.startswith("RESULT")
           for f in line.split() if f.startswith("p99_ms=")]
    print(p99[0] if p99 else "nan")
else:
    print("%.0f" % listening)
broker.terminate(); broker.wait()
PY
}

# run_process BROKER SCENARIO -> prints one figure per word (RSS: total, anonymous and file KB;
# times: one per cold start)
run_process() {
  local broker=$1 scenario=$2
  case $scenario in
    # RSS of a broker nobody has connected to, 15 s after start (a JVM's start-up C heap is trimmed by then).
    fresh|fresh-persist)
      start_broker "$broker" 0 "$([ "$scenario" = fresh-persist ] && echo 1 || echo 0)"
      sleep 15
      # Anonymous memory (heap, C heap, stacks, relocated archives) and the rest: file pages
      # (the JVM's and Courtier's libraries, the jars), which other processes may share.
      echo "$(rss_kb "$broker_pid") $(awk '/^Rss/{r=$2} /^Anonymous/{a=$2} END{print a, r-a}' "/proc/$broker_pid/smaps_rollup")"
      stop_broker ;;
    start) for _ in $(seq "$starts"); do cold_start "$broker" listen; done | tr '\n' ' '; echo ;;
    first-second) for _ in $(seq "$starts"); do cold_start "$broker" stream; done | tr '\n' ' '; echo ;;
  esac
}

echo "machine: $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "columns: delivered msg/s, delivered messages per broker CPU-second, lost, broker/generator CPU seconds"
echo "conn rows: ready, RSS per connection over the idle broker's, RSS with them held, seconds to ready, connect rate"
printf '%-20s | %-54s | %-54s | %s\n' scenario "mosquitto $(mosquitto -h 2>/dev/null | sed -n 's/.*version \([0-9.]*\).*/\1/p' | head -1)" "courtier $version" "courtier/mosquitto"
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END{print (NR? v[int((NR+1)/2)] : "nan")}'; }
for s in $scenarios; do
  case $s in
    fresh|fresh-persist|start|first-second)
      m=$(run_process mosquitto "$s"); c=$(run_process courtier "$s")
      if [[ $s == fresh* ]]; then
        read -r -a mm <<<"$m"; read -r -a cc <<<"$c"
        printf '%-20s | RSS %6.1f MB (anon %5.1f, file %5.1f)                 | RSS %6.1f MB (anon %5.1f, file %5.1f)                 | RSS %.1fx\n' \
          "$s" "$(awk -v k="${mm[0]}" 'BEGIN{print k/1024}')" "$(awk -v k="${mm[1]}" 'BEGIN{print k/1024}')" \
          "$(awk -v k="${mm[2]}" 'BEGIN{print k/1024}')" "$(awk -v k="${cc[0]}" 'BEGIN{print k/1024}')" \
          "$(awk -v k="${cc[1]}" 'BEGIN{print k/1024}')" "$(awk -v k="${cc[2]}" 'BEGIN{print k/1024}')" \
          "$(awk -v a="${cc[0]}" -v b="${mm[0]}" 'BEGIN{print (b>0?a/b:0)}')"
      else
        printf '%-20s | median %7s ms of: %-34s | median %7s ms of: %-34s | %.1fx\n' "$s" \
          "$(median <<<"$m")" "$m" "$(median <<<"$c")" "$c" \
          "$(awk -v a="$(median <<<"$c")" -v b="$(median <<<"$m")" 'BEGIN{print (b>0?a/b:0)}')"
      fi
      continue ;;
  esac
  read -r -a m <<<"$(run_one mosquitto "$s")"
  read -r -a c <<<"$(run_one courtier "$s")"
  if [[ $s == conn-* ]]; then
    printf '%-20s | ready %-6s %5.1f KB/conn %6.1f MB %5ss %5s/s | ready %-6s %5.1f KB/conn %6.1f MB %5ss %5s/s | RSS/conn %.2fx  connect rate %.2fx\n' \
      "$s" "${m[0]}" "${m[1]}" "${m[5]}" "${m[2]}" "${m[4]}" "${c[0]}" "${c[1]}" "${c[5]}" "${c[2]}" "${c[4]}" \
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
