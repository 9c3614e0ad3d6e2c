#!/usr/bin/env bash
# Lists the places in kql-core/src that can panic on purpose: `.unwrap()`, `.expect(`, `panic!`,
# `unreachable!`, `todo!`, `unimplemented!`, outside `#[cfg(test)]` items, comments and string
# literals (doc examples are tests too); a file named `tests.rs` is a test module (declared
# `#[cfg(test)] mod tests;`) and is skipped whole. Fails when there are more than
# `.ci/no-panics.allow` sites: a ratchet, the number may only go down; when it does, lower the
# number in that file.
#
# Usage: .ci/no-panics.sh            (from anywhere; prints each site, then the count)
#        .ci/no-panics.sh --count    (prints only the count)
#
# A small lexer in awk follows strings (`"…"`, `r#"…"#`, across lines), chars and comments,
# so that braces inside them do not upset the tracking of where a `#[cfg(test)]` item ends.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
allow_file="$root/.ci/no-panics.allow"

sites="$(
    cd "$root" &&
    find kql-core/src -name '*.rs' -print0 | sort -z | xargs -0 awk '
    FNR == 1 { instr = 0; rawhash = -1; block = 0; skip = 0; pending = 0; depth = 0; tests = (FILENAME ~ /(^|\/)tests\.rs$/) }
    tests { next }
    {
        src = $0; n = length(src); code = ""; i = 1
        while (i <= n) {
            c = substr(src, i, 1); c2 = substr(src, i, 2)
            if (block > 0) {                       # inside /* … */ (nested)
                if (c2 == "*/") { block--; i += 2 } else if (c2 == "/*") { block++; i += 2 } else i++
                continue
            }
            if (rawhash >= 0) {                    # inside r#"…"#
                close_ = "\"" sprintf("%" rawhash "s", ""); gsub(/ /, "#", close_)
                if (substr(src, i, length(close_)) == close_) { rawhash = -1; i += length(close_); code = code "\"\"" }
                else i++
                continue
            }
            if (instr) {                           # inside "…"
                if (c == "\\") i += 2; else { if (c == "\"") { instr = 0; code = code "\"\"" } i++ }
                continue
            }
            if (c2 == "//") break
            if (c2 == "/*") { block = 1; i += 2; continue }
            if (c == "\"") { instr = 1; i++; continue }
            if (c == "r" && match(substr(src, i), /^r#*"/) && (i == 1 || substr(src, i - 1, 1) !~ /[A-Za-z0-9_]/)) {
                rawhash = RLENGTH - 2; i += RLENGTH; continue
            }
            if (c == "'\''" && match(substr(src, i), /^'\''(\\.|[^\\'\''])'\''/)) { code = code "'\'''\''"; i += RLENGTH; continue }
            code = code c; i++
        }
        if (pending || skip) {
            t = code
            opens = gsub(/\{/, "", t); t = code; closes = gsub(/\}/, "", t)
            if (pending && opens > 0) { pending = 0; skip = 1 }
            else if (pending && code ~ /;[ \t]*$/) { pending = 0; next }
            if (skip) { depth += opens - closes; if (depth <= 0) { skip = 0; depth = 0 } }
            next
        }
        if (code ~ /^[ \t]*#\[cfg\(test\)\]/) { pending = 1; next }
        if (code ~ /\.unwrap\(\)|\.expect\(|panic!|unreachable!|todo!|unimplemented!/) {
            t = $0; sub(/^[ \t]+/, "", t)
            printf "%s:%d: %s\n", FILENAME, FNR, t
        }
    }'
)"
count=0
[ -n "$sites" ] && count="$(printf '%s\n' "$sites" | wc -l | tr -d ' ')"
if [ "${1:-}" = "--count" ]; then
    echo "$count"
    exit 0
fi
[ -n "$sites" ] && printf '%s\n' "$sites"
allowed="$(tr -dc '0-9' < "$allow_file")"
echo "no-panics: $count panic sites in kql-core/src (allowed: $allowed)"
if [ "$count" -gt "$allowed" ]; then
    echo "no-panics: FAIL: $((count - allowed)) more than allowed; return an error instead (or justify it and raise .ci/no-panics.allow)" >&2
    exit 1
fi
if [ "$count" -lt "$allowed" ]; then
    echo "no-panics: the count went down: lower .ci/no-panics.allow to $count"
fi
