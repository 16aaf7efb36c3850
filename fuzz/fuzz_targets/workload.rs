//! Any bytes as a server log, pg_stat_statements export or SQL file, plain or gzip, through
//! the reader the first byte picks, the whole analysis and both reports: nothing may panic.
#![no_main]

use std::io::Write;

use dbwise_workload::{Analyzer, InputFormat, Options};
use libfuzzer_sys::fuzz_target;

const FORMATS: [InputFormat; 5] = [
    InputFormat::Stderr,
    InputFormat::Csvlog,
    InputFormat::Jsonlog,
    InputFormat::PgStatStatements,
    InputFormat::Sql,
];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else { return };
    let format = FORMATS[usize::from(choice & 7) % FORMATS.len()];
    let path = std::env::temp_dir().join(format!("dbwise-fuzz-workload-{}", std::process::id()));
    let mut file = std::fs::File::create(&path).expect("temporary file");
    if choice & 8 != 0 {
        let mut gz = flate2::write::GzEncoder::new(&mut file, flate2::Compression::fast());
        gz.write_all(body).and_then(|()| gz.finish().map(drop)).expect("write");
    } else {
        file.write_all(body).expect("write");
    }
    drop(file);
    let options = Options {
        format: Some(format),
        // Half the inputs detect the prefix, half are read with a fixed one.
        log_line_prefix: (choice & 16 != 0).then(|| "%m [%p] %q%u@%d ".to_string()),
        ..Options::default()
    };
    let mut analyzer = Analyzer::new(options).expect("the fixed prefix compiles");
    let _ = analyzer.add_file(&path, &mut |_| {});
    let workload = analyzer.finish();
    let _ = dbwise_report::workload::render_human(&workload, 20);
    let _ = dbwise_report::workload::render_json(&workload, None);
});
