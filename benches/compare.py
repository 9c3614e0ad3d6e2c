#!/usr/bin/env python3
"""Side-by-side comparison of kql-rs and DuckDB (one thread) on the same generated data.

Usage (normally through benches/compare.sh, which makes the venv with duckdb):

    python3 benches/compare.py [--rows N] [--repeat R] [--load-runs L] [--workdir DIR] [--keep]

Steps:
1. builds the release binaries (`kql` from kql-repl, and the `generate` and `kqlrun` examples of
   kql-bench);
2. writes N generated `securityresources` rows (default 1,000,000, seed 42) as NDJSON;
3. for each query, runs kql in its own process (`--load`, `--timing --repeat R`) and reads the
   `load ...: X ms` and `query: X ms` lines from stderr; the `kql` binary is used when it has
   `--repeat`, else the `kqlrun` example (same Engine::load_file and Engine::query);
4. measures kql's resident memory right after the load (`kqlrun --rss`: VmRSS of the process);
5. in a separate Python process per run, loads the same file into an in-memory DuckDB table with
   `read_json` (SET threads=1), then times each SQL twin R times; the first run also records the
   process's VmRSS before and after the load. The kql processes of step 3 and the DuckDB
   processes take turns (kql, DuckDB, kql, DuckDB, …), so that a drift in the machine's speed
   weighs on both tools alike;
6. checks that the results of kql and DuckDB agree, and prints a table of medians and ratios.

Without the duckdb module (the script is then run by a plain python3), only kql is measured.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUB = "microsoft.security/assessments/subassessments"
KEY1 = "1f655fb7-63ca-4980-91a3-56dbc2b715c6"
KEY2 = "8c3d9ad0-3639-4686-9cd2-2b2ab2609bda"

# ARG's string and dynamic columns; DuckDB reads them as VARCHAR and JSON. (Its automatic schema
# detection fails on this data: `properties` objects hold keys that differ only in case, such as
# `Source` and `source`, which a DuckDB STRUCT cannot hold.)
STRING_COLUMNS = ["id", "name", "type", "tenantId", "kind", "location", "resourceGroup",
                  "subscriptionId", "managedBy"]
DYNAMIC_COLUMNS = ["sku", "plan", "properties", "tags", "identity", "zones", "extendedLocation"]

# The KQL parts of the second Defender query, shared by the first.
DEFENDER_HEAD = f"""securityresources
| where type == "{SUB}"
| extend assessmentKey=extract(@"(?i)providers/Microsoft.Security/assessments/([^/]*)", 1, id)
| where assessmentKey == '{KEY1}' or assessmentKey == '{KEY2}'"""

DEFENDER_1 = DEFENDER_HEAD + """
| parse-where id with machineId:string '/providers/Microsoft.Security/' *
| where machineId == '{machineId}'"""

DEFENDER_2 = DEFENDER_HEAD + """
| parse-where id with * '/subassessments/' subAssessmentId:string
| parse-where id with machineId:string '/providers/Microsoft.Security/' *
| extend status = tostring(properties.status.code)
| summarize count() by subAssessmentId, status"""

# SQL twins. `extract` → regexp_extract (RE2 in both, '' when no match); `parse-where` in simple
# mode with a leading `*` → text after the first occurrence of the literal (rows without it are
# dropped); with a trailing `*` → text before the first occurrence; `tostring(properties.a.b)` →
# `properties->>'$.a.b'` with '' for a missing value (strings are never null in KQL).
SQL_DEFENDER_INNER = f"""SELECT *,
    regexp_extract(id, '(?i)providers/Microsoft.Security/assessments/([^/]*)', 1) AS assessmentKey
  FROM securityresources WHERE type = '{SUB}'"""

SQL_DEFENDER_1 = f"""SELECT * FROM (
  SELECT *, substr(id, 1, strpos(id, '/providers/Microsoft.Security/') - 1) AS machineId
  FROM ({SQL_DEFENDER_INNER}) a
  WHERE (assessmentKey = '{KEY1}' OR assessmentKey = '{KEY2}')
    AND strpos(id, '/providers/Microsoft.Security/') > 0) b
WHERE machineId = '{{machineId}}'"""

SQL_DEFENDER_2 = f"""SELECT subAssessmentId, status, count(*) AS count_ FROM (
  SELECT substr(id, strpos(id, '/subassessments/') + 16) AS subAssessmentId,
         coalesce(properties->>'$.status.code', '') AS status
  FROM ({SQL_DEFENDER_INNER}) a
  WHERE (assessmentKey = '{KEY1}' OR assessmentKey = '{KEY2}')
    AND strpos(id, '/subassessments/') > 0
    AND strpos(id, '/providers/Microsoft.Security/') > 0) b
GROUP BY subAssessmentId, status"""

# (name, KQL, SQL twin, how results are compared: "rows" = every value, "ids" = the id column).
QUERIES = [
    ("count type ==",
     f'securityresources | where type == "{SUB}" | count',
     f"SELECT count(*) AS Count FROM securityresources WHERE type = '{SUB}'",
     "rows"),
    ("count location in",
     "securityresources | where location in ('centralus', 'westeurope') | count",
     "SELECT count(*) AS Count FROM securityresources WHERE location IN ('centralus', 'westeurope')",
     "rows"),
    ("count id contains",
     "securityresources | where id contains 'virtualmachines/vm-' | count",
     "SELECT count(*) AS Count FROM securityresources WHERE id ILIKE '%virtualmachines/vm-%'",
     "rows"),
    ("count status.code",
     "securityresources | where tostring(properties.status.code) == 'Unhealthy' | count",
     "SELECT count(*) AS Count FROM securityresources "
     "WHERE coalesce(properties->>'$.status.code', '') = 'Unhealthy'",
     "rows"),
    ("summarize by type",
     "securityresources | summarize count() by type",
     "SELECT type, count(*) AS count_ FROM securityresources GROUP BY type",
     "rows"),
    ("defender query 1", DEFENDER_1, SQL_DEFENDER_1, "ids"),
    ("defender query 2", DEFENDER_2, SQL_DEFENDER_2, "rows"),
]

# Picks the machine of the first Defender query: the one with the most matching sub-assessments.
MACHINE_QUERY = DEFENDER_HEAD + """
| parse-where id with machineId:string '/providers/Microsoft.Security/' *
| summarize n = count() by machineId
| top 1 by n desc"""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    """Runs cmd, returns (stdout, stderr); exits with the error on failure."""
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        log(f"command failed ({p.returncode}): {' '.join(cmd)[:300]}\n{p.stderr[-3000:]}")
        sys.exit(1)
    return p.stdout, p.stderr


def build():
    """Builds the release binaries; returns (kql command prefix, kqlrun path, generate path,
    whether the real `kql` binary is used)."""
    log("building release binaries (cargo build --release -p kql-repl -p kql-bench --examples)")
    run(["cargo", "build", "--release", "-p", "kql-repl"], cwd=ROOT)
    run(["cargo", "build", "--release", "-p", "kql-bench", "--examples"], cwd=ROOT)
    out, _ = run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT)
    target = json.loads(out)["target_directory"]
    kql = os.path.join(target, "release", "kql")
    kqlrun = os.path.join(target, "release", "examples", "kqlrun")
    generate = os.path.join(target, "release", "examples", "generate")
    help_text = subprocess.run([kql, "--help"], capture_output=True, text=True).stdout
    if "--repeat" in help_text and "--timing" in help_text:
        return [kql], kqlrun, generate, True
    log("note: the kql binary has no --timing/--repeat yet; timing with the kqlrun example")
    return [kqlrun], kqlrun, generate, False


def generate_file(generate, kql_cmd, real_kql, rows, path):
    """Writes `rows` security rows as NDJSON to `path` (kql generate, or the example)."""
    start = time.perf_counter()
    if real_kql:
        cmd = kql_cmd + ["generate", "--rows", str(rows), "--seed", "42", "--table",
                         "securityresources", "--format", "ndjson", "-o", path]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode == 0:
            log(f"generated {path} with kql generate in {time.perf_counter() - start:.1f} s")
            return
        log("kql generate failed; using the generate example")
    run([generate, "--rows", str(rows), "--seed", "42", "--table", "securityresources",
         "--format", "ndjson", "-o", path])
    log(f"generated {path} in {time.perf_counter() - start:.1f} s "
        f"({os.path.getsize(path) / 1e6:.0f} MB)")


def ms_values(stderr, prefix):
    """The millisecond figures of the stderr lines starting with prefix."""
    pat = re.compile(r"^" + re.escape(prefix) + r".*?([0-9.]+)\s*ms\s*$")
    return [float(m.group(1)) for line in stderr.splitlines() if (m := pat.match(line))]


def kql_query(kql_cmd, data, query, repeat):
    """Runs one query in a fresh kql process; returns (load ms list, query ms list, rows)."""
    cmd = kql_cmd + ["--load", f"securityresources={data}", "--timing", "--repeat", str(repeat),
                     "--format", "json", "-c", query]
    out, err = run(cmd)
    return ms_values(err, "load "), ms_values(err, "query:"), json.loads(out)


def kql_rss(kqlrun, data):
    """kql's VmRSS and VmHWM (KiB) right after loading `data`."""
    _, err = run([kqlrun, "--load", f"securityresources={data}", "--rss"])
    rss = int(re.search(r"^rss after load: (\d+) KiB", err, re.M).group(1))
    peak = int(re.search(r"^peak rss after load: (\d+) KiB", err, re.M).group(1))
    return rss, peak


def proc_kib(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def duck_worker(data, queries, repeat):
    """Runs inside a fresh Python process: load, memory, then each query `repeat` times.
    Prints one JSON object on stdout."""
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads=1")
    base = proc_kib("VmRSS")
    columns = ", ".join([f"'{c}': 'VARCHAR'" for c in STRING_COLUMNS]
                        + [f"'{c}': 'JSON'" for c in DYNAMIC_COLUMNS])
    start = time.perf_counter()
    con.execute("CREATE TABLE securityresources AS SELECT * FROM read_json("
                f"'{data}', format='newline_delimited', columns={{{columns}}})")
    load_ms = (time.perf_counter() - start) * 1e3
    result = {"load_ms": load_ms, "rss_base": base, "rss": proc_kib("VmRSS"),
              "peak": proc_kib("VmHWM"), "queries": {}}
    for name, sql in queries:
        times, rows = [], None
        for _ in range(repeat):
            start = time.perf_counter()
            cur = con.execute(sql)
            rows = cur.fetchall()
            times.append((time.perf_counter() - start) * 1e3)
        cols = [d[0] for d in cur.description]
        result["queries"][name] = {"ms": times, "columns": cols,
                                   "rows": [[norm(v) for v in r] for r in rows]}
    print(json.dumps(result))


def norm(v):
    """A value as comparable text."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True)
    return str(v)


def kql_rows_as_lists(rows):
    return [[norm(v) for v in r.values()] for r in rows]


def same_result(kind, kql_rows, duck):
    """Whether kql's result (JSON objects) matches DuckDB's; returns (ok, summary)."""
    if kind == "ids":
        a = sorted(r.get("id", "") for r in kql_rows)
        i = duck["columns"].index("id")
        b = sorted(r[i] for r in duck["rows"])
        return a == b, f"{len(a)} rows" + ("" if a == b else f" vs {len(b)}")
    a = sorted(kql_rows_as_lists(kql_rows))
    b = sorted(duck["rows"])
    shown = f"{len(a)} rows" if len(a) != 1 else "= " + ", ".join(a[0])
    return a == b, shown + ("" if a == b else f" vs {b[:1]}")


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def spread(xs):
    """The first and the smallest of the samples."""
    return f"{xs[0]:.1f} / {min(xs):.1f}" if xs else "-"


def have_duckdb():
    try:
        import duckdb  # noqa: F401
        return True
    except ImportError:
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=10, help="runs of each query per process")
    ap.add_argument("--load-runs", type=int, default=5, help="DuckDB processes (load samples)")
    ap.add_argument("--workdir", help="where to write the data (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the generated file")
    ap.add_argument("--json-out", help="also write every sample (ms) to this JSON file")
    ap.add_argument("--duck-worker", nargs=2, metavar=("DATA", "QUERIES_JSON"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.duck_worker:
        data, spec = args.duck_worker
        duck_worker(data, json.loads(spec), args.repeat)
        return

    kql_cmd, kqlrun, generate, real_kql = build()
    workdir = args.workdir or tempfile.mkdtemp(prefix="kql-compare-")
    os.makedirs(workdir, exist_ok=True)
    data = os.path.join(workdir, f"securityresources-{args.rows}.ndjson")
    try:
        if not os.path.exists(data):
            generate_file(generate, kql_cmd, real_kql, args.rows, data)
        compare(args, kql_cmd, kqlrun, real_kql, data)
    finally:
        if not args.keep:
            os.remove(data) if os.path.exists(data) else None
            if not args.workdir:
                shutil.rmtree(workdir, ignore_errors=True)


def compare(args, kql_cmd, kqlrun, real_kql, data):
    log("picking the machine of the first Defender query")
    _, _, top = kql_query([kqlrun], data, MACHINE_QUERY, 1)
    machine = top[0]["machineId"] if top else "none"
    log(f"machineId = {machine}")
    queries = [(n, k.replace("{machineId}", machine), s.replace("{machineId}", machine), c)
               for n, k, s, c in QUERIES]

    with_duck = have_duckdb()
    if not with_duck:
        log("duckdb is not installed (pip install duckdb failed?): measuring kql only")
    spec = json.dumps([(n, s) for n, _, s, _ in queries])
    duck_processes = max(1, args.load_runs) if with_duck else 0
    kql_load, kql_res, duck_runs = [], {}, []
    # kql and DuckDB processes take turns, so that both meet the machine in the same state: this
    # VM's speed drifts from minute to minute, and running one tool's processes all before the
    # other's let the drift pass for a difference between the tools.
    for i in range(max(len(queries), duck_processes)):
        if i < len(queries):
            name, kq, _, _ = queries[i]
            log(f"kql: {name}")
            loads, times, rows = kql_query(kql_cmd, data, kq, args.repeat)
            kql_load += loads
            kql_res[name] = (times, rows)
        if i < duck_processes:
            # The first process runs every query; the others only load (more load samples).
            log(f"duckdb: process {i + 1}")
            qs = spec if i == 0 else "[]"
            out, _ = run([sys.executable, os.path.abspath(__file__), "--repeat", str(args.repeat),
                          "--duck-worker", data, qs])
            duck_runs.append(json.loads(out))
    rss, peak = kql_rss(kqlrun, data)
    duck = None
    if duck_runs:
        duck = duck_runs[0]
        duck["load_samples"] = [r["load_ms"] for r in duck_runs]

    report(args, real_kql, data, queries, kql_load, kql_res, rss, peak, duck)
    if args.json_out:
        samples = {"rows": args.rows, "kql_load_ms": kql_load, "kql_rss_kib": rss,
                   "kql_peak_kib": peak,
                   "kql_query_ms": {n: t for n, (t, _) in kql_res.items()}}
        if duck:
            samples["duckdb_load_ms"] = duck["load_samples"]
            samples["duckdb_rss_kib"] = duck["rss"]
            samples["duckdb_rss_base_kib"] = duck["rss_base"]
            samples["duckdb_query_ms"] = {n: q["ms"] for n, q in duck["queries"].items()}
        with open(args.json_out, "w") as f:
            json.dump(samples, f, indent=1)


def version():
    try:
        import duckdb
        return duckdb.__version__
    except ImportError:
        return "not installed"


def report(args, real_kql, data, queries, kql_load, kql_res, rss, peak, duck):
    size = os.path.getsize(data) / 1e6
    print(f"\n## kql-rs vs DuckDB {version()} (SET threads=1), {args.rows:,} rows, "
          f"{size:.0f} MB NDJSON")
    print(f"kql timed with: {'kql --timing --repeat' if real_kql else 'kqlrun example'}; "
          f"medians of {args.repeat} runs per query, load: median of "
          f"{len(kql_load)} kql / {len(duck['load_samples']) if duck else 0} DuckDB "
          "processes\n")
    print("| work | kql ms (median) | kql first / min | DuckDB ms (median) "
          "| DuckDB first / min | DuckDB / kql | results |")
    print("|---|---:|---:|---:|---:|---:|---|")
    kl = med(kql_load)
    if duck:
        dl = med(duck["load_samples"])
        print(f"| load NDJSON | {kl:.1f} | {spread(kql_load)} | {dl:.1f} | "
              f"{spread(duck['load_samples'])} | {dl / kl:.2f}x | |")
    else:
        print(f"| load NDJSON | {kl:.1f} | {spread(kql_load)} | - | - | - | |")
    all_ok = True
    for name, _, _, kind in queries:
        times, rows = kql_res[name]
        k = med(times)
        if duck:
            dq = duck["queries"][name]
            d = med(dq["ms"])
            ok, summary = same_result(kind, rows, dq)
            all_ok &= ok
            print(f"| {name} | {k:.2f} | {spread(times)} | {d:.2f} | {spread(dq['ms'])} | "
                  f"{d / k:.2f}x | {'same' if ok else 'DIFFERENT'}, {summary} |")
        else:
            print(f"| {name} | {k:.2f} | {spread(times)} | - | - | - | {len(rows)} rows |")
    print("\n| resident memory after load | kql | DuckDB |")
    print("|---|---:|---:|")
    if duck:
        delta = duck["rss"] - duck["rss_base"]
        print(f"| VmRSS | {rss / 1024:.0f} MiB | {duck['rss'] / 1024:.0f} MiB "
              f"(kql/DuckDB = {rss / duck['rss']:.2f}) |")
        print(f"| VmRSS less the process before the load | {rss / 1024:.0f} MiB | "
              f"{delta / 1024:.0f} MiB (kql/DuckDB = {rss / max(delta, 1):.2f}) |")
        print(f"| peak (VmHWM) | {peak / 1024:.0f} MiB | {duck['peak'] / 1024:.0f} MiB |")
    else:
        print(f"| VmRSS | {rss / 1024:.0f} MiB | - |")
        print(f"| peak (VmHWM) | {peak / 1024:.0f} MiB | - |")
    print(f"\nmachine load average at the end: {os.getloadavg()}")
    if duck and not all_ok:
        print("\nWARNING: some results differ between kql and DuckDB")




if __name__ == "__main__":
    main()
