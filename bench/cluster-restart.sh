#!/usr/bin/env bash
# Parked sessions across a restart of every node (README "Persistent sessions belong to the
# cluster", "Measured"): three nodes on loopback with persistence true (ports 22883-22885, cluster
# ports 28946, 28948, 28950: each node also uses the next port). Two rounds of: an offline subscriber whose session node 2 parked;
# mosquitto_pub -l publishing N (20,000) QoS 1 messages on node 1 to it (the rate is what each node
# keeping its share on disk costs the publisher). Then every node is stopped (SIGTERM, or
# SIG=KILL) and started again, and the subscriber resumes on node 3: the messages it gets, and the
# time from the restart to the last of them.
#
#   bench/cluster-restart.sh          # N=5000 SIG=KILL W=10 bench/cluster-restart.sh (W: seconds to wait for the messages)
set -u
C=${C:-$(cd "$(dirname "$0")/.." && pwd)/courtier}
D=$(mktemp -d); cd "$D"
P=(22883 22884 22885); K=(28946 28948 28950)
for i in 1 2 3; do mkdir -p d$i; cat > n$i.conf <<CONF
listener ${P[i-1]} 127.0.0.1
allow_anonymous true
max_queued_messages 0
persistence true
persistence_location $D/d$i/
cluster_name restart
cluster_node_name n$i
cluster_listener ${K[i-1]} 127.0.0.1
cluster_member 127.0.0.1:28946
cluster_member 127.0.0.1:28948
cluster_member 127.0.0.1:28950
CONF
done
start() {
  for i in 1 2 3; do JAVA_OPTS=-Xmx256m "$C" broker -c n$i.conf >> n$i.log 2>&1 & echo $! > n$i.pid; done
  for i in 1 2 3; do until [ "$(grep -c "3 node(s)" n$i.log)" -ge "$1" ] && [ "$(grep -c 'running$' n$i.log)" -ge "$1" ]; do sleep 0.2; done; done
}
now() { date +%s.%N; }
N=${N:-20000}
start 1
echo "formed"
for round in 1 2; do
  mosquitto_sub -p 22884 -i off-sub$round -c -q 1 -t "off$round/#" -W 1 > /dev/null 2>&1
  until grep -q "off-sub$round's session is parked" n2.log; do sleep 0.1; done; sleep 1
  t0=$(now); seq 1 $N | mosquitto_pub -p 22883 -q 1 -t off$round/x -l; t1=$(now)
  echo "round $round offline n1->parked: $(echo "scale=0; $N / ($t1 - $t0)" | bc) msg/s"
done
t0=$(now)
for i in 1 2 3; do kill -${SIG:-TERM} $(cat n$i.pid); done
for i in 1 2 3; do while kill -0 $(cat n$i.pid) 2>/dev/null; do sleep 0.1; done; done
start 2
for round in 1 2; do
  got=$(mosquitto_sub -p 22885 -i off-sub$round -c -q 1 -t "off$round/#" -C $N -W ${W:-60} | wc -l)
  echo "round $round after the restart (SIG${SIG:-TERM}), resumed on n3: $got/$N messages, $(echo "$(now) - $t0" | bc) s after the stop"
done
grep -h "disk kept a share" n*.log
kill $(cat n1.pid) $(cat n2.pid) $(cat n3.pid) 2>/dev/null; sleep 2
echo "logs in $D"
