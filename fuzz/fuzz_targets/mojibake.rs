//! Fuzz target `mojibake`: see `wikigen_fuzz::mojibake`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wikigen_fuzz::mojibake(data));
