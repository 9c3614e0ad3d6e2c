#!/usr/bin/env bash
# Compares kql-rs with DuckDB (one thread) on generated data; see benches/compare.py.
#
#   benches/compare.sh [--rows N] [--repeat R] [--load-runs L] [--workdir DIR] [--keep]
#
# Makes a scratch venv (in $KQL_BENCH_VENV, default /tmp/kql-bench-venv) with duckdb from PyPI;
# when duckdb cannot be installed, kql alone is measured and the script says so.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${KQL_BENCH_VENV:-/tmp/kql-bench-venv}"
python="python3"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >/dev/null 2>&1 || true
fi
if [ -x "$venv/bin/python" ]; then
    if "$venv/bin/python" -c 'import duckdb' 2>/dev/null \
        || "$venv/bin/pip" install --quiet duckdb >/dev/null 2>&1; then
        python="$venv/bin/python"
    else
        echo "compare.sh: could not install duckdb from PyPI: DuckDB is skipped" >&2
    fi
else
    echo "compare.sh: could not create a venv: DuckDB is skipped" >&2
fi
exec "$python" "$here/compare.py" "$@"
