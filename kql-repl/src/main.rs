//! The `kql` binary.

fn main() {
    println!("kql: not built yet");
}
