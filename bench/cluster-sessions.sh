#!/usr/bin/env bash
# Persistent sessions in a cluster (README "Cluster", "Measured"): three nodes on loopback
# (ports 21883-21885, cluster ports 27946, 27948, 27950: each node also uses the next port for forwarded messages). Two rounds of: mosquitto_pub -l publishing N
# (20,000) QoS 1 messages on node 1 to an online subscriber on node 2, then to an offline one whose
# session node 2 parked, which then resumes on node 3 and drains them. Then kill -9 of node 3, which
# had parked a session with 1,000 queued messages and holds an online persistent session and a
# client with a will: the time to the will on node 1, to the online session being parked by the
# survivors, and to the parked session's 1,000 messages received on node 1.
#
#   bench/cluster-sessions.sh          # N=5000 bench/cluster-sessions.sh for a shorter run
set -u
C=${C:-$(cd "$(dirname "$0")/.." && pwd)/courtier}
D=$(mktemp -d); cd "$D"
P=(21883 21884 21885); K=(27946 27948 27950)
for i in 1 2 3; do cat > n$i.conf <<EOF
listener ${P[i-1]} 127.0.0.1
allow_anonymous true
max_queued_messages 0
cluster_name meas
cluster_node_name n$i
cluster_listener ${K[i-1]} 127.0.0.1
cluster_member 127.0.0.1:27946
cluster_member 127.0.0.1:27948
cluster_member 127.0.0.1:27950
sys_interval 1
EOF
done
for i in 1 2 3; do JAVA_OPTS=-Xmx256m "$C" broker -c n$i.conf > n$i.log 2>&1 & echo $! > n$i.pid; done
for i in 1 2 3; do until grep -q "3 node(s)" n$i.log && grep -q running n$i.log; do sleep 0.2; done; done
echo "formed"
now() { date +%s.%N; }
N=${N:-20000}
run_pub() { # node-port topic -> msg/s
  local t0=$(now); seq 1 $N | mosquitto_pub -p $1 -q 1 -t $2 -l; local t1=$(now)
  echo "scale=0; $N / ($t1 - $t0)" | bc
}
for round in 1 2; do
  # online subscriber on n2, publisher on n1
  mosquitto_sub -p 21884 -i on-sub$round -q 1 -t "on$round/#" -C $N > /dev/null & S=$!
  sleep 1
  echo "round $round online  n1->n2: $(run_pub 21883 on$round/x) msg/s"
  wait $S
  # offline (parked) subscriber, session left on n2, publisher on n1
  mosquitto_sub -p 21884 -i off-sub$round -c -q 1 -t "off$round/#" -W 1 > /dev/null 2>&1
  until grep -q "off-sub$round's session is parked" n2.log; do sleep 0.1; done; sleep 1
  echo "round $round offline n1->parked: $(run_pub 21883 off$round/x) msg/s"
  t0=$(now); got=$(mosquitto_sub -p 21885 -i off-sub$round -c -q 1 -t "off$round/#" -C $N -W 60 | wc -l); t1=$(now)
  echo "round $round resumed on n3: $got messages in $(echo "$t1 - $t0" | bc) s"
done
# kill -9: a parked session with 1000 queued, an online persistent session, a will
mosquitto_sub -p 21885 -i pk -c -q 1 -t 'pk/#' -W 1 > /dev/null 2>&1
until grep -q "pk's session is parked" n3.log; do sleep 0.1; done; sleep 1
seq 1 1000 | mosquitto_pub -p 21883 -q 1 -t pk/x -l
mosquitto_sub -p 21885 -i on3 -c -q 1 -t 'sv/#' > /dev/null & 
mosquitto_sub -p 21885 -i dying -t 'x' --will-topic w/dying --will-payload gone --will-qos 1 > /dev/null &
sleep 2
mosquitto_sub -p 21883 -t w/dying -C 1 > will.out & W=$!
sleep 1
t0=$(now); kill -9 $(cat n3.pid)
( wait $W 2>/dev/null; while kill -0 $W 2>/dev/null; do sleep 0.01; done; echo "will delivered: $(echo "$(now) - $t0" | bc) s" ) &
( until grep -q "on3's session was online at node n3" n1.log n2.log; do sleep 0.02; done; echo "online session parked: $(echo "$(now) - $t0" | bc) s" ) &
got=$(mosquitto_sub -p 21883 -i pk -c -q 1 -t 'pk/#' -C 1000 -W 60 | wc -l)
echo "parked session resumed on n1 with $got/1000 messages: $(echo "$(now) - $t0" | bc) s after kill"
sleep 3
kill $(cat n1.pid) $(cat n2.pid) 2>/dev/null; sleep 2; jobs -p | xargs -r kill 2>/dev/null
echo "logs in $D"
