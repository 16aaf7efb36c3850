//! Any text as a design brief: the parser must turn every problem into an error with a
//! position inside the file, and a brief it accepts must go through `choose` and both
//! renderers without a panic.
#![no_main]

use std::sync::OnceLock;

use dbwise_choose::{Brief, KnowledgeBase};
use dbwise_diagnostics::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = SourceFile::new("brief.toml", text);
    match Brief::parse(&file) {
        Ok(brief) => {
            static KB: OnceLock<KnowledgeBase> = OnceLock::new();
            let kb = KB.get_or_init(|| KnowledgeBase::embedded().expect("the bundled knowledge base loads"));
            let choice = dbwise_choose::choose(&brief, kb);
            let _ = dbwise_report::choose::render_human(&choice, &brief);
            let _ = dbwise_report::choose::render_json(&choice);
        }
        Err(errors) => {
            let lines = file.line_count() as u32;
            for error in &errors.0 {
                assert!(
                    (1..=lines.max(1)).contains(&error.line),
                    "{error} points outside the {lines}-line brief {text:?}"
                );
            }
        }
    }
});
