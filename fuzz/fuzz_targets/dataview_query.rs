//! Fuzz target `dataview_query`: see `wikigen_fuzz::dataview_query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wikigen_fuzz::dataview_query(data));
