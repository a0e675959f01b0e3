#!/usr/bin/env bash
# `interviewer bench load` against two `interviewer serve` processes on one PostgreSQL server
# (Debian's, a throwaway cluster) and one Chroma server (`chroma run`), as the README's
# Measured table quotes. Usage: tests/bench/two_processes.sh [CANDIDATES]  (THINK=S to pause).
# Run as root or as a user that may run `runuser -u postgres`.
set -euo pipefail
N=${1:-20}
REPO=$(cd "$(dirname "$0")/../.." && pwd); BIN=$REPO/.venv/bin
ROOT=$(mktemp -d /tmp/two-XXXX); chown postgres "$ROOT"; mkdir "$ROOT/sock"; chown postgres "$ROOT/sock"
PGB=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
PGPORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
runuser -u postgres -- $PGB/initdb -D $ROOT/data -A trust -U postgres -E UTF8 >/dev/null
runuser -u postgres -- $PGB/pg_ctl -D $ROOT/data -o "-p $PGPORT -k $ROOT/sock -c listen_addresses=127.0.0.1" -w -l $ROOT/pg.log start >/dev/null
runuser -u postgres -- psql -h 127.0.0.1 -p $PGPORT -U postgres -c "CREATE DATABASE bench" >/dev/null
CPORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
$BIN/chroma run --path $ROOT/chroma --port $CPORT --host 127.0.0.1 > $ROOT/chroma.log 2>&1 &
CHROMA=$!
PIDS=()
cleanup() {  # whatever happens: the app processes, Chroma and the cluster stop, the folder goes
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  kill $CHROMA 2>/dev/null || true
  runuser -u postgres -- $PGB/pg_ctl -D $ROOT/data -m fast stop >/dev/null 2>&1 || true
  rm -rf "$ROOT"
}
trap cleanup EXIT
export INTERVIEWER_HOME=$ROOT/home INTERVIEWER_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$PGPORT/bench
export INTERVIEWER_CHROMA_URL=http://127.0.0.1:$CPORT INTERVIEWER_MODELS_DIR=$REPO/var/models
sleep 5
cd $REPO && $BIN/interviewer prepare > $ROOT/prepare.log 2>&1
URLS=()
for i in 1 2; do
  P=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  $BIN/interviewer serve --port $P > $ROOT/serve-$i.log 2>&1 & PIDS+=($!); URLS+=(http://127.0.0.1:$P)
done
for u in "${URLS[@]}"; do until curl -sf -o /dev/null $u/; do sleep 2; done; done
$BIN/interviewer bench load --candidates $N --url "${URLS[@]}" --home $INTERVIEWER_HOME --database-url $INTERVIEWER_DATABASE_URL --json ${THINK:+--think $THINK}
for pid in "${PIDS[@]}"; do echo "serve $pid peak memory: $(grep VmHWM /proc/$pid/status)"; done
