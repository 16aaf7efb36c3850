//! Line splitting over a large buffer with `memchr`, copying only lines that straddle a refill.

use std::io::{self, Read};

const BUFFER: usize = 1 << 20;
/// Lines longer than this are cut into pieces (the pieces are then reported as unusable).
const MAX_LINE: usize = 4 << 20;

/// Call `on_line` with every line of `reader`, without its `\n` or `\r\n`.
pub fn each_line(mut reader: impl Read, mut on_line: impl FnMut(&[u8])) -> io::Result<()> {
    let mut buf = vec![0u8; BUFFER];
    let mut start = 0;
    let mut filled = 0;
    loop {
        if start > 0 && (filled == buf.len() || start >= buf.len() / 2) {
            buf.copy_within(start..filled, 0);
            filled -= start;
            start = 0;
        }
        if filled == buf.len() {
            if buf.len() < MAX_LINE {
                buf.resize(buf.len() * 2, 0);
            } else {
                on_line(trim_cr(&buf[..filled]));
                filled = 0;
            }
        }
        let read = match reader.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if read == 0 {
            if start < filled {
                on_line(trim_cr(&buf[start..filled]));
            }
            return Ok(());
        }
        let scan_from = filled;
        filled += read;
        let mut from = scan_from;
        while let Some(n) = memchr::memchr(b'\n', &buf[from..filled]) {
            let end = from + n;
            on_line(trim_cr(&buf[start..end]));
            start = end + 1;
            from = start;
        }
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_across_reads_and_keeps_the_last_partial_line() {
        struct Dribble<'a>(&'a [u8]);
        impl Read for Dribble<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(3).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut lines = Vec::new();
        each_line(Dribble(b"first\r\nsecond line\n\nlast"), |l| {
            lines.push(l.to_vec())
        })
        .unwrap();
        assert_eq!(
            lines,
            vec![
                b"first".to_vec(),
                b"second line".to_vec(),
                b"".to_vec(),
                b"last".to_vec()
            ]
        );
    }
}
