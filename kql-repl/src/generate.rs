//! `kql generate`: writes a deterministic synthetic ARG data set through kql-datasets'
//! streaming writer.

use crate::args::GenerateArgs;

/// Runs `kql generate`; returns the exit code.
pub fn run(args: &GenerateArgs) -> i32 {
    let _ = args;
    eprintln!("kql generate: the kql-datasets generator has not landed yet");
    2
}
