//! The interactive loop through a pseudo-terminal: a query, a multi-line query, history
//! recalled with Up after a restart, Ctrl-C clearing the entry, Ctrl-D leaving.
#![cfg(unix)]

mod common;

use common::Dir;
use rexpect::session::{spawn_command, PtySession};
use std::process::Command;

/// How long any one expectation may wait (generous: debug builds on a busy machine).
const TIMEOUT_MS: u64 = 20_000;

/// `kql` in a pseudo-terminal, with history in `dir` and the `sr` table loaded.
fn start(dir: &Dir) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kql"));
    cmd.args(["--load", &dir.sr()])
        .env("KQL_HISTORY", dir.path("history"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("COLUMNS", "100");
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).expect("spawn kql in a pty");
    p.exp_string("kql> ").expect("the prompt");
    p
}

fn leave(mut p: PtySession) {
    p.send_control('d').expect("send Ctrl-D");
    p.exp_eof().expect("kql exits on Ctrl-D");
}

#[test]
fn a_query_prints_a_table() {
    let dir = Dir::new("pty-query");
    let mut p = start(&dir);
    p.send_line("sr | summarize total = sum(cores)").unwrap();
    p.exp_string("total:long").unwrap();
    p.exp_string("12").unwrap();
    p.exp_string("1 row").unwrap();
    p.exp_string("kql> ").unwrap();
    leave(p);
}

#[test]
fn a_line_ending_in_a_pipe_continues() {
    let dir = Dir::new("pty-multi");
    let mut p = start(&dir);
    p.send_line("sr |").unwrap();
    p.send_line("where cores > 4 |").unwrap();
    p.send_line("project name").unwrap();
    p.exp_string("name:string").unwrap();
    p.exp_string("vm2").unwrap();
    p.exp_string("1 row").unwrap();
    p.exp_string("kql> ").unwrap();
    p.send_line("print s = strcat('a',").unwrap();
    p.send_line("'b')").unwrap();
    p.exp_string("ab").unwrap();
    p.exp_string("kql> ").unwrap();
    p.send_line("let half = 21;").unwrap();
    p.send_line("print answer = half * 2").unwrap();
    p.exp_string("answer:long").unwrap();
    p.exp_string("42").unwrap();
    leave(p);
}

#[test]
fn history_survives_a_restart() {
    let dir = Dir::new("pty-history");
    let mut p = start(&dir);
    p.send_line("print recalled = 40 + 2").unwrap();
    p.exp_string("recalled:long").unwrap();
    p.exp_string("kql> ").unwrap();
    leave(p);
    let saved = std::fs::read_to_string(dir.path("history")).unwrap_or_default();
    assert!(saved.contains("print recalled = 40 + 2"), "{saved}");

    let mut p = start(&dir);
    p.send("\x1b[A").unwrap(); // Up
    p.flush().unwrap();
    p.exp_string("40 + 2").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("recalled:long").unwrap();
    p.exp_string("42").unwrap();
    leave(p);
}

#[test]
fn ctrl_c_clears_the_entry() {
    let dir = Dir::new("pty-ctrlc");
    let mut p = start(&dir);
    p.send("sr | where nonsense").unwrap();
    p.flush().unwrap();
    p.send_control('c').unwrap();
    p.exp_string("kql> ").unwrap();
    p.send_line("print after_ctrl_c = 1").unwrap();
    p.exp_string("after_ctrl_c:long").unwrap();
    p.exp_string("1 row").unwrap();
    leave(p);
}

#[test]
fn tab_completes_operators_and_columns() {
    let dir = Dir::new("pty-complete");
    let mut p = start(&dir);
    p.send("sr | whe\t").unwrap();
    p.flush().unwrap();
    p.exp_string("where").unwrap();
    p.send(" cor\t").unwrap();
    p.flush().unwrap();
    p.exp_string("cores").unwrap();
    p.send(" > 4 | cou\t").unwrap();
    p.flush().unwrap();
    p.exp_string("count").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Count:long").unwrap();
    p.exp_string("1 row").unwrap();
    leave(p);
}

#[test]
fn dot_commands_and_errors() {
    let dir = Dir::new("pty-dots");
    let mut p = start(&dir);
    p.send_line(".tables").unwrap();
    p.exp_string("sr  3 rows").unwrap();
    p.send_line("sr | project nme").unwrap();
    p.exp_string("^^^").unwrap();
    p.exp_string("kql> ").unwrap();
    // A bracketed paste of two queries separated by a blank line runs both.
    p.send("\x1b[200~print first = 1\n\nprint second = 2\x1b[201~")
        .unwrap();
    p.flush().unwrap();
    p.exp_string("second = 2").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("first:long").unwrap();
    p.exp_string("second:long").unwrap();
    p.exp_string("kql> ").unwrap();
    p.send_line("// only a comment").unwrap();
    p.exp_string("kql> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}

/// Ctrl-C while a query runs: the prompt comes back with "cancelled" and the session goes on.
/// The query takes seconds (debug build), far longer than the pause before Ctrl-C; the pause
/// starts only once the entry is echoed, i.e. once rustyline has handed it over.
#[test]
fn ctrl_c_cancels_a_running_query() {
    let dir = Dir::new("pty-cancel");
    let mut p = start(&dir);
    p.send_line(
        "range i from 1 to 2000000 step 1 | extend s = strcat('x', tostring(i)) \
         | summarize dcount(s), long_running_marker = count()",
    )
    .unwrap();
    p.exp_string("long_running_marker = count()").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_control('c').unwrap();
    p.exp_string("cancelled").unwrap();
    p.exp_string("kql> ").unwrap();
    p.send_line("print still_here = 1").unwrap();
    p.exp_string("still_here:long").unwrap();
    leave(p);
}
