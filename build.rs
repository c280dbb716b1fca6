//! Link arguments of the `cnbudget` binary (docs/benchmarks.md, session 8). Only the binary:
//! the library, the tests' own executables and the Python module link as before.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        // A position-dependent executable: a position-independent one is relocated by the
        // dynamic loader at every start (some 87,000 pointers of panic locations, vtables
        // and string tables), about 0.8 ms of CPU before `main` (`--version` 1.7 → 0.9 ms),
        // a tenth of pdftotext's whole run on a small file. The price: the binary's own code and data sit at a fixed
        // address; its libraries, heap and stacks are still placed at random.
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
