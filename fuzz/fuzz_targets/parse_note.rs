//! Fuzz target `parse_note`: see `wikigen_fuzz::parse_note`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wikigen_fuzz::parse_note(data));
