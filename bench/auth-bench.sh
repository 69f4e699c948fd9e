#!/usr/bin/env bash
# Connects per second through each kind of authentication, with the same `courtier bench conn`
# settings one after the other: the password file, the go-auth http backend (a local service;
# cache cold, then warm on the same broker), and the jwt backend (HS256 and RS256 tokens).
# Every connection comes from 127.0.0.1: past the login gate's bound per address (checks that
# run on its workers: slow hashes, RSA/EC signatures), logins are refused "server busy" and
# counted as failed.
#
#   bench/auth-bench.sh                      # 2000 connections at up to 1000/s each
#   CONNECTIONS=5000 RATE=2000 bench/auth-bench.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
connections=${CONNECTIONS:-2000}
rate=${RATE:-1000}
"$root/courtier" --version >/dev/null # builds the distribution if needed
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)
courtier="$root/dist/target/courtier/courtier-$version/bin/courtier"
work=$(mktemp -d)
broker_pid=
service_pid=
cleanup() {
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null
  [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

start_broker() { # CONF-LINES... -> broker_pid, port
  port=$(free_port)
  { echo "listener $port 127.0.0.1"; printf '%s\n' "$@"; } > "$work/broker.conf"
  "$courtier" -c "$work/broker.conf" > "$work/broker.log" 2>&1 &
  broker_pid=$!
  for _ in $(seq 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "auth-bench.sh: the broker did not start:" >&2; cat "$work/broker.log" >&2; exit 1
}
stop_broker() { kill "$broker_pid"; wait "$broker_pid" 2>/dev/null || true; broker_pid=; }

run() { # LABEL USER PASSWORD
  local line ready secs failed
  local credentials=()
  [ -n "$2" ] && credentials=(-u "$2" --password "$3")
  # A login refused "server busy" (the login gate's bound per address) counts as failed, not as an error.
  line=$("$courtier" bench conn -p "$port" -c "$connections" --connect-rate "$rate" -d 1 "${credentials[@]}" \
    2>/dev/null | grep '^RESULT' || true)
  ready=$(sed -n 's/.* ready=\([0-9]*\).*/\1/p' <<<"$line")
  failed=$(sed -n 's/.* failed=\([0-9]*\).*/\1/p' <<<"$line")
  secs=$(sed -n 's/.* ready_seconds=\([0-9.]*\).*/\1/p' <<<"$line")
  printf '%-28s %8s %8s %10s %12.0f\n' "$1" "$ready" "$failed" "$secs" "$(echo "$ready / $secs" | bc -l)"
}

printf '%-28s %8s %8s %10s %12s\n' "authentication" "ready" "failed" "seconds" "connects/s"

start_broker "allow_anonymous true"
run "none (anonymous)" "" ""
stop_broker

"$courtier" passwd -c -b -I 101 "$work/passwords" alice secret >/dev/null
start_broker "allow_anonymous false" "password_file $work/passwords"
run "password file (\$7\$, 101)" alice secret
stop_broker

java "$root/bench/HttpAuthService.java" > "$work/service.port" &
service_pid=$!
for _ in $(seq 100); do [ -s "$work/service.port" ] && break; sleep 0.1; done
service_port=$(cat "$work/service.port")
start_broker "allow_anonymous false" "auth_plugin /usr/lib/mosquitto-go-auth/go-auth.so" "auth_opt_backends http" \
  "auth_opt_http_host 127.0.0.1" "auth_opt_http_port $service_port" "auth_opt_http_getuser_uri /auth" \
  "auth_opt_http_superuser_uri /superuser" "auth_opt_http_aclcheck_uri /acl" "auth_opt_cache true" \
  "auth_opt_auth_cache_seconds 300" "auth_opt_acl_cache_seconds 300"
run "http, cache cold" alice secret
run "http, cache warm" alice secret
stop_broker

secret="a shared secret of at least 32 bytes!"
exp=$(( $(date +%s) + 3600 ))
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"sub":"alice","exp":%d}' "$exp" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$secret" -binary | b64url)
start_broker "allow_anonymous false" "auth_plugin /usr/lib/mosquitto-go-auth/go-auth.so" "auth_opt_backends jwt" "auth_opt_jwt_secret $secret"
run "jwt HS256" alice "$header.$payload.$signature"
stop_broker

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/jwt.key" 2>/dev/null
openssl pkey -in "$work/jwt.key" -pubout -out "$work/jwt.pub"
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$work/jwt.key" -binary | b64url)
start_broker "allow_anonymous false" "auth_plugin /usr/lib/mosquitto-go-auth/go-auth.so" "auth_opt_backends jwt" \
  "auth_opt_jwt_public_key $work/jwt.pub"
run "jwt RS256" alice "$header.$payload.$signature"
stop_broker
