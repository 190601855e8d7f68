#!/usr/bin/env python3
"""Renders bench/run.sh's results as one markdown table: a row per figure, a column per server,
and a WsGame/peer ratio column per peer. Standard library only.

    report.py META_JSON RESULTS_JSONL [NOTES_TXT]

META_JSON holds the header (cores, cpu, commit, date, sizes); RESULTS_JSONL one line per scenario
run: {"server": ..., "run": ..., "round": ..., "exit": ..., "result": <the bench's JSON> | null, "error": ...}.
A run repeated in several rounds (the echo speed scenarios) shows the median of each figure over
the rounds that went right (each figure on its own: p99 and messages/s may come from different
rounds); a second table lists every round's headline figure, so the spread is in plain sight. No
ratio is shown where either side failed, nor where the load generator was above 80% of its CPU
(generator-bound: the row measures the generator, not the server).
"""
import json
import math
import statistics
import sys

WSGAME = "WsGame"

# Which way is better, by figure name: a reader of the ratio column needs to know.
HIGHER = ("messages_per_s", "megabytes_per_s", "max_clients_held", "connect_per_s", "moves_per_s",
          "deliveries_seen", "echo_checks_ok", "connections", "matches_per_s")
LOWER_PARTS = ("_ms", "lost", "rss_", "bytes_per", "server_cpu", "allocated_", "corrections", "snapshots",
               "unmatched", "idle_bytes")


def better(figure):
    if figure.startswith(HIGHER) or figure in HIGHER:
        return "higher"
    if any(part in figure for part in LOWER_PARTS):
        return "lower"
    return ""


def number(value):
    if isinstance(value, str):  # NaN / Infinity written as strings by the bench
        return None if value in ("NaN", "Infinity", "-Infinity") else value
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def show(value):
    value = number(value)
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def ratio(ours, theirs):
    ours, theirs = number(ours), number(theirs)
    if not isinstance(ours, (int, float)) or not isinstance(theirs, (int, float)) or theirs == 0:
        return ""
    return f"{ours / theirs:.2f}x"


def median(values):
    numbers = [number(value) for value in values]
    numbers = [value for value in numbers if isinstance(value, (int, float))]
    if not numbers:
        return values[0]
    return statistics.median(numbers)


def merge_rounds(runs):
    """Folds the rounds of each (server, run) into one entry: median figures, failures from all."""
    grouped = {}
    for entry in runs:
        grouped.setdefault((entry["server"], entry["run"]), []).append(entry)
    merged = []
    for (server, run), entries in grouped.items():
        results = [entry["result"] for entry in entries if entry.get("result") is not None]
        if len(entries) == 1 or not results:
            merged.append(entries[0])
            continue
        # The medians come from the rounds that went right; a failed round shows in the ok row and the failures.
        good = [result for result in results if result.get("ok")] or results
        figures = {}
        for result in good:
            for figure, value in result.get("figures", {}).items():
                figures.setdefault(figure, []).append(value)
        failures = [failure for result in results for failure in result.get("failures", [])]
        failures += [f"round {entry.get('round')}: exit {entry.get('exit')}: {entry.get('error', '').strip()}"
                     for entry in entries if entry.get("result") is None]
        merged.append({
            "server": server, "run": run, "rounds": len(entries),
            "result": {"ok": all(result.get("ok") for result in results) and len(results) == len(entries),
                       "figures": {figure: median(values) for figure, values in figures.items()},
                       "failures": failures},
        })
    return merged


# Above this share of its core, the load generator may be what limits a run.
GENERATOR_BOUND = 80

HEADLINE = ("messages_per_s", "megabytes_per_s", "latency_p99_ms")


def print_rounds(runs, servers):
    """Every round of the repeated runs: the headline figure per server, round by round."""
    repeated = {}
    for entry in runs:
        result = entry.get("result") or {}
        figures = result.get("figures", {})
        headline = next((figure for figure in HEADLINE if figure in figures), None)
        if headline is None:
            continue
        repeated.setdefault((entry["run"], headline), {}).setdefault(entry["server"], []).append(figures[headline])
    repeated = {key: values for key, values in repeated.items() if max(len(v) for v in values.values()) > 1}
    if not repeated:
        return
    print()
    print("## Rounds")
    print()
    print("Each round of the repeated runs (servers interleaved); the table above shows the median.")
    print()
    print("| figure | " + " | ".join(servers) + " |")
    print("|---|" + "|".join(["---:"] * len(servers)) + "|")
    for (run, figure), values in repeated.items():
        cells = [" / ".join(show(value) for value in values[server]) if server in values else "" for server in servers]
        print(f"| {run}.{figure} | " + " | ".join(cells) + " |")


def main():
    meta = json.load(open(sys.argv[1]))
    all_runs = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]
    runs = merge_rounds(all_runs)
    notes = open(sys.argv[3]).read().splitlines() if len(sys.argv) > 3 else []

    servers = []
    rows = {}  # (run, figure) -> {server: value}
    order = []
    failures = []
    bound = []
    for entry in runs:
        server, run = entry["server"], entry["run"]
        if server not in servers:
            servers.append(server)
        result = entry.get("result")
        status_key = (run, "ok")
        if status_key not in rows:
            rows[status_key] = {}
            order.append(status_key)
        if result is None:
            rows[status_key][server] = "ERROR"
            failures.append(f"{server} {run}: exit {entry.get('exit')}: {entry.get('error', '').strip()}")
            continue
        generator = number(result.get("figures", {}).get("generator_cpu_percent"))
        if not result.get("ok"):
            rows[status_key][server] = "FAIL"
        elif isinstance(generator, (int, float)) and generator > GENERATOR_BOUND:
            # The load generator, not the server, may have been the limit: a floor, not a result.
            rows[status_key][server] = "generator-bound"
            bound.append(f"{server} {run}")
        else:
            rows[status_key][server] = "ok"
        for failure in result.get("failures", []):
            failures.append(f"{server} {run}: {failure}")
        for figure, value in result.get("figures", {}).items():
            key = (run, figure)
            if key not in rows:
                rows[key] = {}
                order.append(key)
            rows[key][server] = value

    peers = [server for server in servers if server != WSGAME]
    print(f"# WsGame benchmark")
    print()
    print(f"- commit: `{meta.get('commit')}`, date: {meta.get('date')}")
    print(f"- machine: {meta.get('cores')} cores, {meta.get('cpu')}; server pinned to CPU {meta.get('server_cpu')}, "
          f"load generator to CPU {meta.get('bench_cpu')}")
    print(f"- runtimes: {meta.get('runtimes')}")
    print(f"- sizes: {meta.get('sizes')}")
    print()
    header = ["figure", "better"] + servers + [f"{WSGAME}/{peer}" for peer in peers if WSGAME in servers]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(["---", "---"] + ["---:"] * (len(header) - 2)) + "|")
    for key in order:
        run, figure = key
        values = rows[key]
        cells = [f"{run}.{figure}", "" if figure == "ok" else better(figure)]
        cells += [show(values[server]) if server in values else "" for server in servers]
        if WSGAME in servers:
            # A smoke run counts scenarios, it does not measure: no ratio there.
            status = rows[(run, "ok")]
            cells += ["" if figure == "ok" or run == "smoke" or status.get(WSGAME) != "ok" or status.get(peer) != "ok"
                      else ratio(values.get(WSGAME), values.get(peer)) for peer in peers]
        print("| " + " | ".join(cells) + " |")
    if bound:
        print()
        print(f"generator-bound (the load generator above {GENERATOR_BOUND}% of its CPU, median of the rounds): "
              + ", ".join(bound) + ". Their figures are a floor of what the server can do, not a measurement of"
              " it, and get no ratio.")
    print_rounds(all_runs, servers)
    if failures:
        print()
        print("## Failures")
        print()
        for failure in failures:
            print(f"- {failure}")
    if notes:
        print()
        print("## Notes")
        print()
        for note in notes:
            print(f"- {note}")


if __name__ == "__main__":
    main()
