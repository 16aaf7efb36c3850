//! Differential: dbwise's tokenizer must cut any text that PostgreSQL's own scanner (libpg_query's)
//! accepts into the same tokens, of the same kinds. Every SQL reader of dbwise below the grammar
//! (statement splitting, the workload normaliser, the rules that read words) stands on it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(difference) = dbwise_syntax::tokens::compare_with_server(text) {
        panic!("{difference}: {text:?}");
    }
});
