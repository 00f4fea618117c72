//! Rebuilds the crate when the embedded default theme changes (include_dir cannot track files on
//! stable Rust).
fn main() {
    println!("cargo:rerun-if-changed=themes");
}
