#!/usr/bin/env bash
# Runs the benchmark: builds Release, then for each server in turn starts it pinned to CPU 0,
# runs the scenarios that apply with the load generator pinned to CPU 1, stops it, and prints one
# markdown table (a column per server, a WsGame/peer ratio per peer). See bench/README.md.
#
#   bash bench/run.sh                 # full sizes (several minutes)
#   bash bench/run.sh --quick         # small sizes, about a minute
#   bash bench/run.sh --smoke         # every scenario tiny against each server; exit 1 on any failure
#   bash bench/run.sh --servers "wsgame aspnet" --no-build
#   bash bench/run.sh --game-only --before f68638d   # the game scenarios, this build beside an older one
#   bash bench/run.sh --echo-only     # only the echo speed rounds (wsload, the C generator) of every server
#   bash bench/run.sh --storage       # the duel with storage on (SQLite, PostgreSQL) beside storage off, and
#                                     # how many results a second the writer stores with each provider
#
# Sizes come from the environment (ECHO_SECONDS=5 bash bench/run.sh); see the defaults below.
# The echo speed scenarios (echo-rtt, echo-bulk) run in ECHO_ROUNDS rounds with the servers
# interleaved, each round starting one server later (WsGame, built-in, ..., then built-in, ...,
# WsGame, ...): the table shows each figure's median,
# so a machine that slows down for a minute does not decide a ratio.
# Everything goes to loopback only. Every process this script starts is stopped when it ends.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

QUICK=0 SMOKE=0 BUILD=1 GAME_ONLY=0 ECHO_ONLY=0 STORAGE_ONLY=0 BEFORE=""
SERVERS="wsgame aspnet node-ws python-websockets python-threaded c-epoll"
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --smoke) SMOKE=1 ;;
    --no-build) BUILD=0 ;;
    --servers) SERVERS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --game-only) GAME_ONLY=1 ;;
    --echo-only) ECHO_ONLY=1 ;;
    --storage) STORAGE_ONLY=1 ;;
    --before) BEFORE="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# --- sizes: the environment wins, then --quick, then the full defaults -------------------------
if [ "$QUICK" = 1 ]; then
  : "${ECHO_SECONDS:=3}" "${BULK_SECONDS:=2}" "${FANOUT_START:=50}" "${FANOUT_STEP:=50}" "${FANOUT_MAX:=300}"
  : "${ECHO_ROUNDS:=1}" "${ECHO_WARMUP:=1}" "${FANOUT_SAMPLES:=40}" "${GAME_BOTS:=50}" "${GAME_SECONDS:=5}" "${ARENA_BOTS:=50}" "${IDLE_CONNECTIONS:=500}"
  : "${IDLE_HOLD:=3}" "${ALLOC_SECONDS:=3}" "${ALLOC_WARMUP:=1}" "${GAME_WARMUP:=2}"
  : "${RESUME_PLAYERS:=50}" "${RESUME_SPECTATORS:=100}" "${RESUME_ROOMS:=5}"
  : "${STORAGE_MATCHES:=2000}"
fi
: "${ECHO_SECONDS:=10}" "${ECHO_CONNECTIONS:=1 32 256}"   # one echo-rtt run per count
: "${ECHO_ROUNDS:=3}" "${ECHO_WARMUP:=2}"                   # interleaved rounds; unmeasured seconds first
: "${BULK_SECONDS:=10}" "${BULK_CONNECTIONS:=4}" "${BULK_SIZE:=65536}"
: "${FANOUT_START:=100}" "${FANOUT_STEP:=100}" "${FANOUT_MAX:=10000}" "${FANOUT_SAMPLES:=100}" "${FANOUT_BROADCASTERS:=4}"
: "${GAME_BOTS:=1000}" "${GAME_SECONDS:=30}" "${ARENA_BOTS:=1000}"
: "${GAME_ROUNDS:=$([ -n "$BEFORE" ] || [ "$STORAGE_ONLY" = 1 ] && echo 3 || echo 1)}"   # rounds of duel and arena, builds interleaved
: "${STORAGE_MATCHES:=20000}"   # --storage: results handed to the writer at once
# Extra settings for the duel and the arena of every build (an older build ignores what it does not know), e.g.
# GAME_SETTINGS=--WsGame:Storage:Provider=None to compare the rooms with a build from before storage.
: "${GAME_SETTINGS:=}"
: "${RESUME_PLAYERS:=500}" "${RESUME_SPECTATORS:=1000}" "${RESUME_ROOMS:=10}" "${RESUME_DROPS:=3}"
: "${GAME_WARMUP:=5}"    # seconds of unmeasured game on each game server first (0: none), see warm_up_game
: "${ARENA_VIEW:=400}"   # the arena's WsGame:Game:ViewDistance: each bot is told about the bots near it
: "${IDLE_CONNECTIONS:=10000}" "${IDLE_HOLD:=10}"
: "${ALLOC_SECONDS:=10}" "${ALLOC_WARMUP:=3}" "${ALLOC_CONNECTIONS:=32}"
: "${PORT_BASE:=18500}" "${SERVER_CPU:=0}" "${BENCH_CPU:=1}"
: "${PAUSE:=1}"   # seconds of quiet between scenarios: sockets close, the server settles

# Arena heights for one big room of N players, 1000 px wide. The spawn layout (WsGame.Api/Game/
# SpawnLayout.cs) spreads each side's rows over the whole height, so at 96 * ceil(N/2) + 64 px the
# rows of each side's single column stand 96 px apart (32 px gaps between bodies), which the game
# scenario's path needs: its bots walk 28 px and must never touch. The setting stops at 100,000 px;
# past about 2,080 players the rows then close up to a body's height (64 px), bodies touch, and the
# arena's moves get corrected, which is why the arena runs on a server of its own, sized for its
# bots, not on the fan-out's (10,000 seats, where only the spawn points must fit).
arena_height() {
  local height=$(( 96 * (($1 + 1) / 2) + 64 ))
  [ "$height" -lt 400 ] && height=400
  [ "$height" -gt 100000 ] && height=100000
  echo "$height"
}
FANOUT_CAPACITY=$FANOUT_MAX
FANOUT_HEIGHT=$(arena_height "$FANOUT_CAPACITY")
ARENA_HEIGHT=$(arena_height "$ARENA_BOTS")

BENCH_DLL=bench/WsGame.Bench/bin/Release/net10.0/WsGame.Bench.dll
WSGAME_DLL=WsGame.Api/bin/Release/net10.0/WsGame.Api.dll
ASPNET_DLL=bench/peers/AspNetBuiltIn/bin/Release/net10.0/AspNetBuiltIn.dll
PYTHON=/usr/bin/python3   # the system Python: the one Debian's python3-websockets is installed for

WORK=${OUT:-$(mktemp -d)}
mkdir -p "$WORK"
RESULTS=$WORK/results.jsonl NOTES=$WORK/notes.txt
: > "$RESULTS"; : > "$NOTES"
note() { echo "$*" >> "$NOTES"; echo "note: $*" >&2; }

# --- processes: every server we start is stopped on the way out --------------------------------
SERVER_PID=""
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null
  for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}
trap 'stop_server; remove_before; stop_postgres' EXIT
trap 'exit 130' INT TERM

# Many idle connections need many descriptors, in the server and in the load generator.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null

PORT=$PORT_BASE
next_port() {
  PORT=$((PORT + 1))
  while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
}

# start_server LABEL COMMAND...: starts it on CPU $SERVER_CPU and waits until $PORT accepts.
start_server() {
  local label=$1; shift
  taskset -c "$SERVER_CPU" "$@" > "$WORK/$label-$PORT.log" 2>&1 &
  SERVER_PID=$!   # taskset execs the command, so this is the server's own pid
  for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      note "$label did not start: $(tail -n 3 "$WORK/$label-$PORT.log" | tr '\n' ' ')"
      SERVER_PID=""
      return 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  note "$label did not listen on port $PORT within 30 s"
  stop_server
  return 1
}

# bench SERVER RUN SCENARIO PATH OPTIONS...: one scenario on CPU $BENCH_CPU; appends its JSON to the results.
FAILED=0
ROUND=1
bench() {
  local server=$1 run=$2 scenario=$3 path=$4; shift 4
  local out=$WORK/$server-$run-r$ROUND.json err=$WORK/$server-$run-r$ROUND.err rc
  sleep "$PAUSE"
  echo "== $server $run (round $ROUND)" >&2
  taskset -c "$BENCH_CPU" dotnet "$BENCH_DLL" "$scenario" "ws://127.0.0.1:$PORT$path" --server-pid "$SERVER_PID" "$@" > "$out" 2> "$err"
  record "$server" "$run" $? "$out" "$err"
}

# bench_echo SERVER RUN OPTIONS...: an echo speed scenario by wsload (bench/loadgen, C) on CPU $BENCH_CPU,
# or by the .NET generator where wsload could not be built (the run's notes say so).
bench_echo() {
  local server=$1 run=$2; shift 2
  if [ -z "$WSLOAD" ]; then
    local scenario=echo-rtt
    [ "$1" = --mode ] && { [ "$2" = bulk ] && scenario=echo-bulk; shift 2; }
    bench "$server" "$run" "$scenario" /ws/echo "$@"
    return
  fi
  local out=$WORK/$server-$run-r$ROUND.json err=$WORK/$server-$run-r$ROUND.err
  sleep "$PAUSE"
  echo "== $server $run (round $ROUND, wsload)" >&2
  taskset -c "$BENCH_CPU" "$WSLOAD" --port "$PORT" --path /ws/echo --server-pid "$SERVER_PID" "$@" > "$out" 2> "$err"
  record "$server" "$run" $? "$out" "$err"
}

# record SERVER RUN EXIT OUT ERR: appends one scenario run's JSON (or its error) to the results.
record() {
  local server=$1 run=$2 rc=$3 out=$4 err=$5
  [ "$rc" = 0 ] || FAILED=1
  "$PYTHON" - "$server" "$run" "$rc" "$out" "$err" "$ROUND" >> "$RESULTS" <<'EOF'
import json, sys
server, run, rc, out, err, round_ = sys.argv[1:7]
try:
    result = json.loads(open(out).read())
except ValueError:
    result = None
entry = {"server": server, "run": run, "round": int(round_), "exit": int(rc), "result": result}
if result is None:
    entry["error"] = " ".join(open(err).read().split()[-40:])
print(json.dumps(entry))
EOF
}

# serves PATH: whether the running server accepts a WebSocket at that path (peers may lack /ws/chat).
serves() { taskset -c "$BENCH_CPU" dotnet "$BENCH_DLL" probe "ws://127.0.0.1:$PORT$1" 2>/dev/null; }

# --- the servers ---------------------------------------------------------------------------------
# Each sets CMD to the server's command line for $PORT.
wsgame_cmd() { # extra settings as arguments; RUN_DLL and RUN_ROOT pick an older build (--before)
  # Each server's SQLite file in a folder of its own under the run's directory, not in the checkout, so every
  # run starts from an empty store (an older build without storage ignores the setting).
  # Its Orleans silo's ports from the HTTP port, so that no default port of an earlier server still closing is in
  # the way (an older build without the cluster ignores them).
  CMD=(dotnet "${RUN_DLL:-$WSGAME_DLL}" --urls "http://127.0.0.1:$PORT" --contentRoot "${RUN_ROOT:-$ROOT}/WsGame.Api"
    --Serilog:MinimumLevel:Default=Warning "--WsGame:Storage:DataDirectory=$WORK/data-$PORT"
    "--WsGame:Cluster:SiloPort=$((PORT + 1000))" "--WsGame:Cluster:GatewayPort=$((PORT + 2000))" "$@")
}
# A peer takes its port as the first argument. The ASP.NET peer also gets --urls, which
# WebApplication.CreateBuilder(args) understands, so either way of reading the port works.
peer_cmd() {
  case "$1" in
    aspnet) CMD=(dotnet "$ASPNET_DLL" "$PORT" --urls "http://127.0.0.1:$PORT") ;;
    node-ws) CMD=(node bench/peers/node-ws/server.mjs "$PORT") ;;
    python-websockets) CMD=("$PYTHON" bench/peers/python-websockets/server.py "$PORT") ;;
    python-threaded) CMD=("$PYTHON" bench/peers/python-threaded/server.py "$PORT") ;;
    c-epoll) CMD=("$C_ECHO" "$PORT") ;;
  esac
}
label_of() {
  case "$1" in
    wsgame) echo WsGame ;; aspnet) echo AspNetBuiltIn ;; *) echo "$1" ;;
  esac
}
# available NAME: whether the server and its runtime are here (installs the Node peer's packages).
available() {
  case "$1" in
    wsgame) [ -f "$WSGAME_DLL" ] || { note "WsGame skipped: $WSGAME_DLL missing"; return 1; } ;;
    aspnet) [ -f "$ASPNET_DLL" ] || { note "AspNetBuiltIn skipped: not built"; return 1; } ;;
    node-ws)
      [ -f bench/peers/node-ws/server.mjs ] || { note "node-ws skipped: bench/peers/node-ws/server.mjs missing"; return 1; }
      command -v node > /dev/null || { note "node-ws skipped: node is not installed"; return 1; }
      if [ ! -d bench/peers/node-ws/node_modules ]; then
        (cd bench/peers/node-ws && npm ci --no-audit --no-fund > "$WORK/npm.log" 2>&1) \
          || { note "node-ws skipped: npm ci failed ($(tail -n 1 "$WORK/npm.log"))"; return 1; }
      fi ;;
    python-websockets)
      [ -f bench/peers/python-websockets/server.py ] || { note "python-websockets skipped: server.py missing"; return 1; }
      "$PYTHON" -c 'import websockets.legacy.server' 2>/dev/null || { note "python-websockets skipped: $PYTHON cannot import websockets.legacy.server (apt-get install python3-websockets)"; return 1; } ;;
    python-threaded)
      [ -f bench/peers/python-threaded/server.py ] || { note "python-threaded skipped: server.py missing"; return 1; }
      [ -x "$PYTHON" ] || { note "python-threaded skipped: $PYTHON missing"; return 1; } ;;
    c-epoll) [ -n "$C_ECHO" ] || { note "c-epoll skipped: gcc could not build bench/peers/c-epoll/echo.c"; return 1; } ;;
    *) note "unknown server $1 skipped"; return 1 ;;
  esac
}

# --- what each server runs -----------------------------------------------------------------------
echo_speed_runs() { # SERVER
  local connections
  for connections in $ECHO_CONNECTIONS; do
    bench_echo "$1" "echo-rtt-c$connections" --mode rtt --connections "$connections" --warm-up "$ECHO_WARMUP" --seconds "$ECHO_SECONDS"
  done
  bench_echo "$1" echo-bulk --mode bulk --connections "$BULK_CONNECTIONS" --size "$BULK_SIZE" --warm-up "$ECHO_WARMUP" --seconds "$BULK_SECONDS"
}

# The echo speed scenarios, round after round, every server once per round (a fresh process each time).
echo_rounds() {
  local round name label i servers=($AVAILABLE)
  for round in $(seq 1 "$ECHO_ROUNDS"); do
    ROUND=$round
    # Each round starts one server later, so no server always runs first (on a machine just quiet) or last.
    for i in "${!servers[@]}"; do
      name=${servers[$(( (i + round - 1) % ${#servers[@]} ))]}
      label=$(label_of "$name")
      next_port
      if [ "$name" = wsgame ]; then wsgame_cmd; else peer_cmd "$name"; fi
      start_server "$label" "${CMD[@]}" || { FAILED=1; continue; }
      echo_speed_runs "$label"
      stop_server
    done
  done
  ROUND=1
}
fan_out_run() { # SERVER PROTOCOL PATH
  bench "$1" fan-out fan-out "$3" --protocol "$2" --start "$FANOUT_START" --step "$FANOUT_STEP" --max "$FANOUT_MAX" \
    --samples "$FANOUT_SAMPLES" --broadcasters "$FANOUT_BROADCASTERS"
}

# warm_up_game LABEL OPTIONS...: the game scenario for GAME_WARMUP seconds, not measured, with as many
# bots, which leave before the measured ones join (an arena's go to a room of another name). On a fresh
# server the game's code is still being compiled to its optimized tier in the first seconds under load:
# measured, 1000 duel bots on a fresh server got p99 132-239 ms in four runs of six, from late deliveries
# in the first 10 s only, at 76-99% server CPU (the JIT took 9% of the samples in seconds 1-7, 0.2% after);
# after 5 s of warm-up, three runs gave p99 69-72 ms and none late.
# That is start-up, as the echo scenarios' warm-up is; the targets are about the steady state.
warm_up_game() {
  local label=$1; shift
  [ "$GAME_WARMUP" -gt 0 ] || return 0
  sleep "$PAUSE"
  echo "== $label game warm-up (${GAME_WARMUP} s, not measured)" >&2
  taskset -c "$BENCH_CPU" dotnet "$BENCH_DLL" game "ws://127.0.0.1:$PORT/ws" --server-pid "$SERVER_PID" --room bench-warm-up \
    "$@" --seconds "$GAME_WARMUP" > "$WORK/$label-game-warm-up-$PORT.log" 2>&1 \
    || note "$label: the game warm-up on port $PORT failed (its output: $label-game-warm-up-$PORT.log)"
}

run_wsgame() {
  # The duel: the shipped settings (rooms of 2).
  next_port
  wsgame_cmd
  start_server WsGame "${CMD[@]}" || { FAILED=1; return; }
  bench WsGame idle idle /ws/echo --connections "$IDLE_CONNECTIONS" --hold "$IDLE_HOLD"
  bench WsGame allocation allocation /ws/echo --connections "$ALLOC_CONNECTIONS" --warm-up "$ALLOC_WARMUP" --seconds "$ALLOC_SECONDS"
  stop_server
  # The fan-out: one room big enough for the climb.
  next_port
  wsgame_cmd --WsGame:Game:RoomCapacity=$FANOUT_CAPACITY --WsGame:Game:ArenaWidth=1000 --WsGame:Game:ArenaHeight=$FANOUT_HEIGHT
  start_server WsGame "${CMD[@]}" || { FAILED=1; return; }
  fan_out_run WsGame wsgame /ws
  stop_server
}

# duel_run LABEL AFTER SETTINGS...: the duel (shipped settings, rooms of 2) after its warm-up, on a fresh
# server of the build RUN_DLL names with these settings; AFTER (a function given the label, or :) runs while
# that server still runs.
duel_run() {
  local label=$1 after=$2; shift 2
  next_port
  wsgame_cmd "$@"
  start_server "$label" "${CMD[@]}" || { FAILED=1; return; }
  warm_up_game "$label" --bots "$GAME_BOTS"
  bench "$label" game game /ws --bots "$GAME_BOTS" --seconds "$GAME_SECONDS"
  "$after" "$label"
  stop_server
}

# game_runs LABEL: the duel (shipped settings, rooms of 2) and the arena (one room of exactly its bots,
# tall enough that they stand apart, and a view distance so that each bot hears of its neighbourhood),
# each on a fresh server of the build that RUN_DLL names (this one when unset).
game_runs() {
  local label=$1
  # shellcheck disable=SC2086 # GAME_SETTINGS: settings, split on purpose
  duel_run "$label" : $GAME_SETTINGS
  next_port
  # shellcheck disable=SC2086
  wsgame_cmd --WsGame:Game:RoomCapacity=$ARENA_BOTS --WsGame:Game:ArenaWidth=1000 --WsGame:Game:ArenaHeight=$ARENA_HEIGHT --WsGame:Game:ViewDistance=$ARENA_VIEW $GAME_SETTINGS
  start_server "$label" "${CMD[@]}" || { FAILED=1; return; }
  warm_up_game "$label" --arena --bots "$ARENA_BOTS" --room-size "$ARENA_BOTS"
  bench "$label" game-arena game /ws --arena --bots "$ARENA_BOTS" --room-size "$ARENA_BOTS" --seconds "$GAME_SECONDS"
  stop_server
}

# The game scenarios in GAME_ROUNDS rounds; with --before, this build and the older one interleaved,
# each round starting with the other, as the echo rounds do, so neither always runs on a machine just quiet.
game_rounds() {
  local round i builds=(now)
  [ -n "$BEFORE" ] && builds+=(before)
  for round in $(seq 1 "$GAME_ROUNDS"); do
    ROUND=$round
    for i in "${!builds[@]}"; do
      if [ "${builds[$(( (i + round - 1) % ${#builds[@]} ))]}" = before ]; then
        RUN_DLL=$BEFORE_DLL RUN_ROOT=$BEFORE_DIR game_runs "$BEFORE_LABEL"
      else
        game_runs WsGame
      fi
    done
  done
  ROUND=1
}

# resume: players of duels drop their TCP connections and resume their seats while spectators watch
# RESUME_ROOMS of the rooms; the server admits as many spectators a room as that takes. This build only:
# an older one may not number its messages nor hold seats.
resume_run() {
  next_port
  wsgame_cmd --WsGame:Game:MaxSpectators=$(( (RESUME_SPECTATORS + RESUME_ROOMS - 1) / RESUME_ROOMS ))
  start_server WsGame "${CMD[@]}" || { FAILED=1; return; }
  bench WsGame resume resume /ws --players "$RESUME_PLAYERS" --spectators "$RESUME_SPECTATORS" --rooms "$RESUME_ROOMS" \
    --drops "$RESUME_DROPS" --seconds "$GAME_SECONDS"
  stop_server
}

# build_before REV: the older build, in a worktree of its own under the run's directory (removed at the end).
BEFORE_DIR="" BEFORE_DLL="" BEFORE_LABEL=""
build_before() {
  BEFORE_DIR=$WORK/before
  BEFORE_LABEL="WsGame@$(git rev-parse --short "$1")" || return 1
  git worktree add --detach "$BEFORE_DIR" "$1" > "$WORK/before-build.log" 2>&1 || return 1
  BEFORE_DLL=$BEFORE_DIR/WsGame.Api/bin/Release/net10.0/WsGame.Api.dll
  (cd "$BEFORE_DIR" && dotnet build -c Release -nologo -v q WsGame.Api/WsGame.Api.csproj) >> "$WORK/before-build.log" 2>&1
}
remove_before() {
  [ -n "$BEFORE_DIR" ] && [ -d "$BEFORE_DIR" ] && git worktree remove --force "$BEFORE_DIR" 2>/dev/null
  return 0
}

run_peer() { # NAME
  local label; label=$(label_of "$1")
  next_port
  peer_cmd "$1"
  start_server "$label" "${CMD[@]}" || { FAILED=1; return; }
  bench "$label" idle idle /ws/echo --connections "$IDLE_CONNECTIONS" --hold "$IDLE_HOLD"
  if [ "$1" = c-epoll ]; then
    : # the reference echoes whatever path it is asked for: no chat room, no fan-out
  elif serves /ws/chat; then
    fan_out_run "$label" seed-chat /ws/chat
  else
    note "$label: no chat room at /ws/chat, fan-out skipped"
  fi
  stop_server
}

smoke_all() {
  for name in $SERVERS; do
    available "$name" || { FAILED=1; continue; }
    local label; label=$(label_of "$name")
    next_port
    if [ "$name" = wsgame ]; then
      wsgame_cmd --WsGame:Game:RoomCapacity=16 --WsGame:Game:ArenaWidth=1000 --WsGame:Game:ArenaHeight=832
      start_server WsGame "${CMD[@]}" || { FAILED=1; continue; }
      bench WsGame smoke smoke / --protocol wsgame
    else
      peer_cmd "$name"
      start_server "$label" "${CMD[@]}" || { FAILED=1; continue; }
      if [ "$name" != c-epoll ] && serves /ws/chat; then
        bench "$label" smoke smoke / --protocol seed-chat
      else
        note "$label: no chat room at /ws/chat, smoke without fan-out"
        bench "$label" smoke smoke / --protocol none
      fi
    fi
    stop_server
  done
}

# --- storage (--storage) ---------------------------------------------------------------------------
# A throwaway PostgreSQL for the storage rows: Debian's binaries, a cluster in a folder of the run's own
# (owned by the postgres user when this runs as root, which initdb refuses), on a free loopback port, pinned
# to the server's CPU (it is part of the server side), with PostgreSQL's default durability (fsync on).
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG_DIR="" PG_PORT="" PG_AS=()
start_postgres() {
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || { note "PostgreSQL is not installed: its storage rows are skipped"; return 1; }
  PG_DIR=$(mktemp -d)
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; PG_AS=(runuser -u postgres --); fi
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U wsgame --auth=trust > "$WORK/postgres-init.log" 2>&1 \
    || { note "initdb failed (postgres-init.log): PostgreSQL rows skipped"; PG_DIR=""; return 1; }
  next_port; PG_PORT=$PORT
  taskset -c "$SERVER_CPU" "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start > "$WORK/postgres-start.log" 2>&1 \
    || { note "PostgreSQL did not start (postgres-start.log): its rows are skipped"; stop_postgres; return 1; }
}
stop_postgres() {
  [ -n "$PG_DIR" ] || return 0
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop > /dev/null 2>&1
  rm -rf "$PG_DIR"
  PG_DIR=""
  return 0
}
postgres_settings() { # DATABASE: WsGame's settings for a database of that name on the throwaway server
  echo "--WsGame:Storage:Provider=PostgreSQL" "--ConnectionStrings:WsGame=Host=127.0.0.1;Port=$PG_PORT;Username=wsgame;Database=$1"
}

# storage_duel LABEL SETTINGS...: the duel with these storage settings, and what its server stored.
storage_duel() {
  local label=$1; shift
  duel_run "$label" record_written "$@"
}

# record_written LABEL: how many results the server stored, read from /health, as one more figure of its duel.
record_written() {
  local out=$WORK/$1-written-r$ROUND.json
  curl -s "http://127.0.0.1:$PORT/health" | "$PYTHON" -c '
import json, re, sys
text = sys.stdin.read()
found = re.search(r"\((\d+) written since start\)", text)
figures = {"results_written": int(found.group(1))} if found else {}
print(json.dumps({"scenario": "storage", "ok": True, "figures": figures}))' > "$out" 2> /dev/null
  record "$1" game-stored 0 "$out" /dev/null
}

# The duel with storage off, on SQLite and on PostgreSQL, in GAME_ROUNDS rounds, the settings interleaved as
# the builds of --before are; then the writer's own ceiling with each provider (bench/StorageThroughput).
STORAGE_THROUGHPUT_DLL=bench/StorageThroughput/bin/Release/net10.0/StorageThroughput.dll
storage_rounds() {
  local round i pg=0 configs=(sqlite off)
  start_postgres && pg=1 && configs+=(postgres)
  for round in $(seq 1 "$GAME_ROUNDS"); do
    ROUND=$round
    for i in "${!configs[@]}"; do
      case "${configs[$(( (i + round - 1) % ${#configs[@]} ))]}" in
        sqlite) storage_duel WsGame ;;
        off) storage_duel "storage off" --WsGame:Storage:Provider=None ;;
        # shellcheck disable=SC2046 # two settings, split on purpose
        postgres) storage_duel PostgreSQL $(postgres_settings "duel_r${round}") ;;
      esac
    done
  done
  ROUND=1
  writer_throughput WsGame --provider Sqlite --data "$WORK/throughput-sqlite"
  [ "$pg" = 1 ] && writer_throughput PostgreSQL --provider PostgreSQL \
    --connection "Host=127.0.0.1;Port=$PG_PORT;Username=wsgame;Database=throughput"
  stop_postgres
}
writer_throughput() { # LABEL OPTIONS...: the writer's results per second, in-process, on the server's CPU
  local label=$1; shift
  local out=$WORK/$label-writer.json err=$WORK/$label-writer.err
  sleep "$PAUSE"
  echo "== $label storage writer" >&2
  taskset -c "$SERVER_CPU" dotnet "$STORAGE_THROUGHPUT_DLL" --matches "$STORAGE_MATCHES" "$@" > "$out" 2> "$err"
  record "$label" storage-writer $? "$out" "$err"
}

# --- run -----------------------------------------------------------------------------------------
# One function, called on the last line: bash reads a script as it runs, and a run takes half an
# hour; this way an edit or a checkout in the meantime cannot change what the rest of it does.
main() {
# The C tools, built every run (a second each): the echo load generator and the reference echo server.
WSLOAD="" C_ECHO=""
if command -v gcc > /dev/null; then
  gcc -O2 -o "$WORK/wsload" bench/loadgen/wsload.c -lm 2>> "$WORK/build.log" && WSLOAD=$WORK/wsload
  gcc -O2 -o "$WORK/c-echo" bench/peers/c-epoll/echo.c 2>> "$WORK/build.log" && C_ECHO=$WORK/c-echo
fi
[ -n "$WSLOAD" ] || note "wsload not built (gcc missing or failed): the echo rows use the .NET generator"
if [ "$BUILD" = 1 ]; then
  for project in WsGame.Api/WsGame.Api.csproj bench/WsGame.Bench/WsGame.Bench.csproj bench/peers/AspNetBuiltIn/AspNetBuiltIn.csproj \
      bench/StorageThroughput/StorageThroughput.csproj; do
    [ -f "$project" ] || continue
    dotnet build -c Release -nologo -v q "$project" > "$WORK/build.log" 2>&1 \
      || { tail -n 20 "$WORK/build.log" >&2; echo "build of $project failed" >&2; exit 1; }
  done
fi

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && commit="$commit (with uncommitted changes)"
runtimes="dotnet $(dotnet --version 2>/dev/null); node $(node --version 2>/dev/null || echo none); $($PYTHON --version 2>&1); python websockets $($PYTHON -c 'import websockets; print(websockets.__version__)' 2>/dev/null || echo none)"
game_sizes="game ${GAME_BOTS} bots (duel) / ${ARENA_BOTS} (arena, view ${ARENA_VIEW} px) ${GAME_SECONDS}s after ${GAME_WARMUP}s warm-up, ${GAME_ROUNDS} round(s)${BEFORE:+ interleaved with $BEFORE}; resume ${RESUME_PLAYERS} players dropping up to ${RESUME_DROPS} times, ${RESUME_SPECTATORS} spectators on ${RESUME_ROOMS} rooms, ${GAME_SECONDS}s"
if [ "$SMOKE" = 1 ]; then
  sizes="smoke (tiny)"
elif [ "$GAME_ONLY" = 1 ]; then
  sizes="$game_sizes (--game-only)"
elif [ "$STORAGE_ONLY" = 1 ]; then
  sizes="duel ${GAME_BOTS} bots ${GAME_SECONDS}s after ${GAME_WARMUP}s warm-up, ${GAME_ROUNDS} round(s), storage on (SQLite, PostgreSQL) and off interleaved; writer ${STORAGE_MATCHES} matches (--storage)"
else
  sizes="echo-rtt ${ECHO_CONNECTIONS} conns ${ECHO_SECONDS}s after ${ECHO_WARMUP}s warm-up, median of ${ECHO_ROUNDS} interleaved rounds; echo-bulk ${BULK_CONNECTIONS}x${BULK_SIZE} B ${BULK_SECONDS}s; idle ${IDLE_CONNECTIONS} conns ${IDLE_HOLD}s; fan-out ${FANOUT_START}..${FANOUT_MAX} step ${FANOUT_STEP}, ${FANOUT_SAMPLES} samples, ${FANOUT_BROADCASTERS} broadcasters; ${game_sizes}; allocation ${ALLOC_CONNECTIONS} conns ${ALLOC_SECONDS}s"
fi
"$PYTHON" - "$WORK/meta.json" "$commit" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" "$SERVER_CPU" "$BENCH_CPU" "$runtimes" "$sizes" <<'EOF'
import json, sys
keys = ["commit", "date", "cores", "cpu", "server_cpu", "bench_cpu", "runtimes", "sizes"]
json.dump(dict(zip(keys, sys.argv[2:])), open(sys.argv[1], "w"))
EOF

if [ -n "$BEFORE" ]; then
  build_before "$BEFORE" || { tail -n 20 "$WORK/before-build.log" >&2; echo "build of $BEFORE failed" >&2; exit 1; }
fi
if [ "$SMOKE" = 1 ]; then
  smoke_all
elif [ "$GAME_ONLY" = 1 ]; then
  game_rounds
  resume_run
elif [ "$STORAGE_ONLY" = 1 ]; then
  storage_rounds
else
  AVAILABLE=""
  for name in $SERVERS; do
    if available "$name"; then AVAILABLE="$AVAILABLE $name"; else FAILED=1; fi
  done
  echo_rounds
  [ "$ECHO_ONLY" = 1 ] && AVAILABLE=""
  for name in $AVAILABLE; do
    if [ "$name" = wsgame ]; then run_wsgame; game_rounds; resume_run; else run_peer "$name"; fi
  done
fi

"$PYTHON" bench/report.py "$WORK/meta.json" "$RESULTS" "$NOTES" | tee "$WORK/report.md" || FAILED=1
echo >&2
echo "raw results and server logs: $WORK" >&2
return "$FAILED"
}

main; exit $?
