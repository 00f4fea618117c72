//! Fuzz target `resolve`: see `wikigen_fuzz::resolve`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wikigen_fuzz::resolve(data));
