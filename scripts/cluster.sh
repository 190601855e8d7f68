#!/usr/bin/env bash
# A WsGame cluster of N nodes (3 by default) on this machine, on Redis membership: starts a throwaway
# redis-server on a free loopback port (Debian's redis-server; scripts/install-test-deps.sh installs it)
# and N WsGame processes, node-1 on http://127.0.0.1:8081, node-2 on :8082, ... Ctrl+C (or the end of the
# shell) stops every process it started, by PID, and removes its folder.
#
#   bash scripts/cluster.sh            # three nodes
#   bash scripts/cluster.sh 2          # two
#   NODE_ARGS="--WsGame:Game:RoomCapacity=4" bash scripts/cluster.sh   # extra settings for every node
set -euo pipefail
cd "$(dirname "$0")/.."

nodes=${1:-3}
dll=WsGame.Api/bin/Release/net10.0/WsGame.Api.dll
command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install redis-server (or bash scripts/install-test-deps.sh)" >&2; exit 1; }
dotnet build WsGame.Api --configuration Release --verbosity quiet -nologo >/dev/null

work=$(mktemp -d)
redis_pid=
pids=()
# SIGTERM, then at most 15 s for the process to finish its own shutdown before SIGKILL.
end() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
# One node at a time, Redis last: a node leaving gracefully hands its part of the cluster to the others and
# tells the membership table so, which takes a fraction of a second; nodes whose membership table went first
# retry it for a minute.
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do end "$pid"; done
  [ -z "$redis_pid" ] || end "$redis_pid"
  rm -rf "$work"
}
trap stop EXIT INT TERM

redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Each in a session of its own (setsid): Ctrl+C reaches this script only, which then stops them in order.
setsid redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
redis_pid=$!

for n in $(seq 1 "$nodes"); do
  # shellcheck disable=SC2086 # NODE_ARGS is a list of settings
  setsid dotnet "$dll" --contentRoot "$PWD/WsGame.Api" --urls "http://127.0.0.1:$((8080 + n))" \
    --WsGame:Cluster:Provider=Redis --WsGame:Cluster:ConnectionString="127.0.0.1:$redis_port" \
    --WsGame:Cluster:AdvertisedAddress=127.0.0.1 --WsGame:Cluster:NodeName="node-$n" \
    --WsGame:Cluster:SiloPort=$((11110 + n)) --WsGame:Cluster:GatewayPort=$((30000 + n)) \
    --WsGame:Storage:DataDirectory="$work/data-$n" ${NODE_ARGS:-} >"$work/node-$n.log" 2>&1 &
  pids+=($!)
done

for n in $(seq 1 "$nodes"); do
  until curl -fsS "http://127.0.0.1:$((8080 + n))/health" >/dev/null 2>&1; do
    kill -0 "${pids[$((n - 1))]}" 2>/dev/null || { echo "node-$n exited:"; tail -20 "$work/node-$n.log"; exit 1; }
    sleep 0.3
  done
done
echo "Redis on 127.0.0.1:$redis_port; nodes:"
curl -fsS "http://127.0.0.1:8081/api/cluster"; echo
echo "Logs in $work. Ctrl+C stops the cluster."
wait
