//! The text form of a DynamoDB design (`dbwise model dynamodb`): the entity chart, each access
//! pattern with its request and reason, the conflicts and the warnings. The JSON form is the
//! design serialised ([`crate::choose::render_json`]). Names from the schema and the patterns
//! file are escaped.

use std::fmt::Write;

use dbwise_diagnostics::escape_control;
use dbwise_model::dynamodb::Design;

pub fn render_dynamodb(design: &Design) -> String {
    let mut out = String::new();
    let gsis = design.create_table["GlobalSecondaryIndexes"]
        .as_array()
        .map_or(0, Vec::len);
    let _ = writeln!(
        out,
        "DynamoDB single-table design: table {}, {} global secondary index{}",
        escape_control(&design.table),
        gsis,
        if gsis == 1 { "" } else { "es" }
    );
    let _ = writeln!(out, "\nEntity chart");
    let mut attributes: Vec<&str> = Vec::new();
    for row in &design.entities {
        for (attribute, _) in &row.keys {
            if !attributes.contains(&attribute.as_str()) {
                attributes.push(attribute);
            }
        }
    }
    let mut table: Vec<Vec<String>> = vec![
        std::iter::once("entity".to_string())
            .chain(attributes.iter().map(|a| (*a).to_string()))
            .collect(),
    ];
    for row in &design.entities {
        let mut cells = vec![escape_control(&row.entity).into_owned()];
        for attribute in &attributes {
            let cell = row
                .keys
                .iter()
                .find(|(a, _)| a == attribute)
                .map_or(String::new(), |(_, t)| escape_control(t).into_owned());
            cells.push(cell);
        }
        table.push(cells);
    }
    let widths: Vec<usize> = (0..=attributes.len())
        .map(|i| {
            table
                .iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &table {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        let _ = writeln!(out, "  {}", cells.join(" | ").trim_end());
    }
    let _ = writeln!(out, "\nAccess patterns");
    for pattern in &design.access_patterns {
        let served = match (&pattern.request, &pattern.index) {
            (Some(request), Some(index)) => format!("{} on {index}", request.operation),
            _ => "NOT SERVED".to_string(),
        };
        let _ = writeln!(
            out,
            "  {} ({}/s): {served}",
            escape_control(&pattern.name),
            pattern.per_second
        );
        let _ = writeln!(out, "    {}", escape_control(&pattern.reason));
    }
    for (title, lines) in [
        ("Conflicts", &design.conflicts),
        ("Warnings", &design.warnings),
    ] {
        if !lines.is_empty() {
            let _ = writeln!(out, "\n{title}");
            for line in lines {
                let _ = writeln!(out, "  - {}", escape_control(line));
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{} example items; --format json gives create_table, example_items and each pattern's request.",
        design.example_items.len()
    );
    out
}
