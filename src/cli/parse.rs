use std::io::{BufRead, BufWriter, ErrorKind, Write};

use crate::core::understand::{default_parser, Folded, Parsed};

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
    let mut json = Vec::with_capacity(256);
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
        json.clear();
        write_parsed(&mut json, &parsed)?;
        json.push(b'\n');
        out.write_all(&json)?;
    }
    out.flush()
}

/// `parsed` as JSON, byte for byte what `serde_json::to_writer` writes for it (a test holds
/// them together), without serde's machinery per field: a line of `flisbot parse` holds a
/// handful of short fields, and the generic serialiser cost as much as a tenth of the work
/// per line.
fn write_parsed(out: &mut Vec<u8>, parsed: &Parsed) -> std::io::Result<()> {
    out.extend_from_slice(b"{\"intent\":\"");
    out.extend_from_slice(parsed.intent.as_str().as_bytes());
    out.extend_from_slice(b"\",\"areas\":");
    write_list(out, parsed.areas.iter().map(|a| a.as_str()))?;
    if let Some(m) = &parsed.month {
        out.extend_from_slice(b",\"month\":{\"month\":");
        write!(out, "{}", m.month)?;
        if let Some(year) = m.year {
            out.extend_from_slice(b",\"year\":");
            write!(out, "{year}")?;
        }
        out.push(b'}');
    }
    if parsed.general {
        out.extend_from_slice(b",\"general\":true");
    }
    if !parsed.unknown_words.is_empty() {
        out.extend_from_slice(b",\"unknown_words\":");
        write_list(out, parsed.unknown_words.iter().map(String::as_str))?;
    }
    if !parsed.suggestions.is_empty() {
        out.extend_from_slice(b",\"suggestions\":");
        write_list(out, parsed.suggestions.iter().map(|a| a.as_str()))?;
    }
    out.push(b'}');
    Ok(())
}

/// A JSON array of strings. A string with nothing to escape (no quote, backslash or control
/// character: every area id, and folded words) is copied as it is; any other is written by
/// serde_json, so the escapes are its own.
fn write_list<'a>(out: &mut Vec<u8>, items: impl Iterator<Item = &'a str>) -> std::io::Result<()> {
    out.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if item.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
            serde_json::to_writer(&mut *out, item)?;
        } else {
            out.push(b'"');
            out.extend_from_slice(item.as_bytes());
            out.push(b'"');
        }
    }
    out.push(b']');
    Ok(())
}

/// As `parse_stream`, with each line's word readings, what the answer says first, the month's
/// role and any small talk.
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
        });
        serde_json::to_writer(&mut out, &value)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written JSON is serde_json's, byte for byte: every field present and absent,
    /// strings with and without escapes.
    #[test]
    fn parsed_json_is_what_serde_json_writes() {
        use crate::core::understand::MonthRef;
        let parser = default_parser();
        let questions = [
            "status ky",
            "hvornår kommer DREAM-data for august 2025?",
            "er maj-data ude",
            "datapakker i oktober",
            "status på fsiii qwxvk blorp",
            "hej",
            "",
        ];
        let mut all: Vec<Parsed> = questions.iter().map(|q| parser.parse(q)).collect();
        let mut odd = parser.parse("status dream");
        odd.unknown_words = vec![
            "a\"b".into(),
            "back\\slash".into(),
            "ctl\u{1}\n".into(),
            "ø\u{7f}".into(),
        ];
        odd.month = Some(MonthRef {
            month: 12,
            year: Some(-1),
            role: Default::default(),
        });
        odd.general = true;
        all.push(odd);
        for parsed in all {
            let mut mine = Vec::new();
            write_parsed(&mut mine, &parsed).unwrap();
            let want = serde_json::to_vec(&parsed).unwrap();
            assert_eq!(
                String::from_utf8(mine).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
    }

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
