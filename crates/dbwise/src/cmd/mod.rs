pub mod choose;
pub mod indexes;
pub mod inspect;
pub mod lint;
pub mod migrate;
pub mod model;
pub mod review;
pub mod rules;
pub mod workload;

/// A size given on the command line: `256MB`, `1.5GiB`, `500 MB` or a number of bytes
/// (MB and GB are powers of ten, MiB and GiB powers of two).
pub fn parse_size(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<bytesize::ByteSize>()
        .map(|size| size.as_u64())
        .map_err(|_| {
            format!("`{text}` is not a size; write it as 256MB, 1GiB or a number of bytes")
        })
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_take_decimal_and_binary_units() {
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("300 MiB"), Ok(300 << 20));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }
}
