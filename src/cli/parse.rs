use std::io::{BufRead, BufWriter, ErrorKind, Write};

use crate::core::understand::{default_parser, Folded};

/// One JSON line per input line, in order. Input that is not UTF-8 is read lossily rather
/// than refused, so a stray byte never shifts the lines.
pub(crate) fn run(explain: bool) -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let out = std::io::stdout();
    let out = BufWriter::with_capacity(1 << 16, out.lock());
    let result = if explain {
        explain_stream(stdin.lock(), out)
    } else {
        parse_stream(stdin.lock(), out)
    };
    match result {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

pub fn parse_stream(mut input: impl BufRead, mut out: impl Write) -> std::io::Result<()> {
    let parser = default_parser();
    let mut buf = Folded::default();
    let mut line = Vec::with_capacity(256);
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let text = match std::str::from_utf8(&line) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(&line),
        };
        let parsed = parser.parse_with(&text, &mut buf);
        serde_json::to_writer(&mut out, &parsed)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// As `parse_stream`, with each line's word readings, the intent model's probabilities, what
/// the answer says first, the month's role and any small talk.
pub(crate) fn explain_stream(mut input: impl BufRead, mut out: impl Write) -> std::io::Result<()> {
    let parser = default_parser();
    let mut bytes = Vec::with_capacity(256);
    loop {
        bytes.clear();
        if input.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
        // Lossily, as `parse_stream` reads: a bad byte is one unknown word, not the end.
        let line = String::from_utf8_lossy(&bytes);
        let parsed = parser.parse(&line);
        let value = serde_json::json!({
            "parsed": parsed,
            "ask": parsed.ask,
            "month_role": parsed.month.map(|m| m.role),
            "small_talk": parsed.small_talk,
            "words": parser.explain(&line),
            "model": parser.model_reading(&line),
        });
        serde_json::to_writer(&mut out, &value)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line gets its JSON line, in order, whatever bytes it holds.
    #[test]
    fn a_line_that_is_not_utf8_is_answered_and_the_stream_goes_on() {
        let input: &[u8] = b"status ky\nstatus \xff\xfe dream\n\xc3\nstatus krl\n";
        for explain in [false, true] {
            let mut out = Vec::new();
            let run = if explain {
                explain_stream(input, &mut out)
            } else {
                parse_stream(input, &mut out)
            };
            run.unwrap();
            let lines: Vec<serde_json::Value> = String::from_utf8(out)
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(lines.len(), 4, "explain: {explain}");
            let areas = |v: &serde_json::Value| {
                let v = if explain { &v["parsed"] } else { v };
                v["areas"].clone()
            };
            assert_eq!(areas(&lines[1]), serde_json::json!(["dream"]));
            assert_eq!(areas(&lines[3]), serde_json::json!(["krl"]));
        }
    }
}
