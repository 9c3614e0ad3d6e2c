#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/<target>/, not checked in) from:
#   - the `query` fields of ../shared/corpus/*.jsonl and ../shared/conformance/kql-docs.jsonl
#     (parse, analyze), when the shared folder is there;
#   - the project's small data files: kql-core/tests/data/io/*, tests/fixtures/* (load, load_as);
#   - a few hand-written edge inputs and random bytes (all targets).
# Run from anywhere: fuzz/seed.sh. Re-running adds files; libFuzzer names them by content hash
# later, so duplicates do no harm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
shared="$(dirname "$root")/shared"
corpus="$here/corpus"
mkdir -p "$corpus"/{parse,analyze,query,load,load_as}

python3 - "$shared" "$corpus" <<'PY'
import hashlib, json, os, sys
shared, corpus = sys.argv[1], sys.argv[2]

def put(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(corpus, target, name), "wb") as f:
        f.write(data)

sources = [
    os.path.join(shared, "corpus", "arg-queries.jsonl"),
    os.path.join(shared, "corpus", "extra-azure-docs.jsonl"),
    os.path.join(shared, "conformance", "kql-docs.jsonl"),
]
count = 0
for path in sources:
    if not os.path.exists(path):
        print(f"seed.sh: {path} is absent; skipped")
        continue
    for line in open(path, encoding="utf-8"):
        case = json.loads(line)
        for key in ("query_substituted", "query"):
            if case.get(key):
                put("parse", case[key])
                put("analyze", case[key])
                count += 1
print(f"seed.sh: {count} queries into parse/ and analyze/")

# Hand-written query edges.
for q in ["print 1", "T | where a > 1 | count", "print ((1))", "let x = 1; print x",
          "print dynamic({\"a\": [1, {\"b\": null}]})", "print 'unterminated", "T | ",
          "print -----1", "print 1e400, 9223372036854775808", "datatable(a:int) [1, 2] | sort by a"]:
    put("parse", q)
    put("analyze", q)

# Random bytes drive the query generator; a few seeds get it started.
import random
rng = random.Random(7)
for n in range(64):
    put("query", bytes(rng.randrange(256) for _ in range(rng.randrange(8, 256))))
PY

# Data files, as they are and prefixed with each format byte for load_as.
data_files=()
for d in "$root/kql-core/tests/data/io" "$root/tests/fixtures"; do
    [ -d "$d" ] && while IFS= read -r -d '' f; do data_files+=("$f"); done < <(find "$d" -type f -size -64k -print0)
done
edges=(
    '[]' '[{}]' '[{"a":1},{"a":"x"}]' '{"a":1}' $'{"a":1}\n{"a":2}\n' '{"data":[]}'
    '{"count":1,"data":[{"id":"/x"}],"skip_token":null}'
    '{"totalRecords":1,"data":{"columns":[{"name":"a","type":"long"}],"rows":[[1]]}}'
    $'a,b\n1,2\n' $'"a ""q""",b\n"x\ny",2\n' '[[[[[[[[1]]]]]]]]' '[{"n":1e400,"m":18446744073709551616}]'
    '[{"a":1,"a":2}]' $'\xef\xbb\xbfid,name\n/x,vm\n'
)
i=0
for e in "${edges[@]}"; do
    f="$corpus/load/edge$i"; printf '%s' "$e" > "$f"; data_files+=("$f"); i=$((i+1))
done
for f in "${data_files[@]}"; do
    cp "$f" "$corpus/load/$(basename "$f").$(sha1sum "$f" | cut -c1-8)" 2>/dev/null || true
    for b in 0 1 2 3 4; do
        { printf "\\x0$b"; cat "$f"; } > "$corpus/load_as/$b.$(basename "$f").$(sha1sum "$f" | cut -c1-8)"
    done
done
for t in parse analyze query load load_as; do
    echo "seed.sh: corpus/$t: $(ls "$corpus/$t" | wc -l) files"
done
