//! Fuzz target `tasks_query`: see `wikigen_fuzz::tasks_query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wikigen_fuzz::tasks_query(data));
