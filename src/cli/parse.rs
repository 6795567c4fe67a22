use std::io::{BufRead, BufReader, BufWriter, ErrorKind, Read, Write};
use std::ops::Range;
use std::sync::{mpsc, Arc};

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

/// Lines are parsed in batches of what is already read, each batch split over the machine's
/// cores and written back in order: the parser is pure, so a batch's lines need nothing from
/// each other. A batch never waits for more input than has arrived, so a line typed (or piped)
/// alone is answered at once.
pub fn parse_stream(input: impl Read, out: impl Write) -> std::io::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    parse_stream_on(input, out, cores)
}

/// Below this many lines a batch is parsed on the calling thread alone: handing lines to
/// another thread costs about as much as parsing a few dozen.
const LINES_WORTH_A_THREAD: usize = 256;

/// A part of a batch for a worker, and the buffer to write its JSON lines into.
struct Job {
    batch: Arc<Batch>,
    lines: Range<usize>,
    out: Vec<u8>,
}

/// A worker thread: the jobs it is sent and the parts it sends back. Workers live as long as
/// the stream, so what the parser remembers on a thread (its memo of token readings) serves
/// every batch.
struct Worker {
    jobs: mpsc::Sender<Job>,
    done: mpsc::Receiver<std::io::Result<Vec<u8>>>,
}

fn parse_stream_on(input: impl Read, mut out: impl Write, threads: usize) -> std::io::Result<()> {
    // Larger than stdin's own buffer, for larger batches; what it holds is what a batch takes.
    let mut input = BufReader::with_capacity(1 << 18, input);
    let mut mine = Vec::new();
    std::thread::scope(|scope| -> std::io::Result<()> {
        // Started at the first batch worth it: a line typed alone never starts one.
        let mut workers: Vec<Worker> = Vec::new();
        loop {
            let mut batch = Batch::default();
            // The first line may wait for input; the others are only those already buffered.
            if !batch.read_line(&mut input)? {
                break;
            }
            batch.take_buffered_lines(&mut input);
            let lines = batch.len();
            let parts = if lines < LINES_WORTH_A_THREAD {
                1
            } else {
                threads.max(1)
            };
            while workers.len() + 1 < parts {
                let (jobs, inbox) = mpsc::channel::<Job>();
                let (outbox, done) = mpsc::channel();
                scope.spawn(move || {
                    for mut job in inbox {
                        let parsed = parse_lines(&job.batch, job.lines, &mut job.out);
                        if outbox.send(parsed.map(|()| job.out)).is_err() {
                            break;
                        }
                    }
                });
                workers.push(Worker { jobs, done });
            }
            let per_part = lines.div_ceil(parts);
            let batch = Arc::new(batch);
            let part = |i: usize| (i * per_part).min(lines)..((i + 1) * per_part).min(lines);
            for (i, worker) in workers[..parts - 1].iter().enumerate() {
                let job = Job {
                    batch: Arc::clone(&batch),
                    lines: part(i + 1),
                    out: Vec::new(),
                };
                worker.jobs.send(job).map_err(|_| stopped())?;
            }
            // The first part is parsed here meanwhile, then the others are written in order.
            parse_lines(&batch, part(0), &mut mine)?;
            out.write_all(&mine)?;
            for worker in &workers[..parts - 1] {
                out.write_all(&worker.done.recv().map_err(|_| stopped())??)?;
            }
            // Written at once, so an interactive reader sees each answer as its line is read.
            out.flush()?;
        }
        // Dropping the workers' senders ends their loops; the scope joins them.
        Ok(())
    })?;
    out.flush()
}

fn stopped() -> std::io::Error {
    std::io::Error::other("a parse thread stopped")
}

/// Lines read but not yet parsed: their bytes back to back, and where each ends.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Batch {
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Reads one line (its newline included); false at the end of the input.
    fn read_line(&mut self, input: &mut impl BufRead) -> std::io::Result<bool> {
        if input.read_until(b'\n', &mut self.bytes)? == 0 {
            return Ok(false);
        }
        self.ends.push(self.bytes.len());
        Ok(true)
    }

    /// Takes the whole lines `input` has buffered, without reading more.
    fn take_buffered_lines(&mut self, input: &mut BufReader<impl Read>) {
        let buffered = input.buffer();
        let Some(last) = memchr::memrchr(b'\n', buffered) else {
            return;
        };
        let lines = &buffered[..=last];
        let start = self.bytes.len();
        self.bytes.extend_from_slice(lines);
        self.ends
            .extend(memchr::memchr_iter(b'\n', lines).map(|i| start + i + 1));
        input.consume(last + 1);
    }

    fn line(&self, i: usize) -> &[u8] {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j]);
        &self.bytes[start..self.ends[i]]
    }
}

fn parse_lines(batch: &Batch, lines: Range<usize>, out: &mut Vec<u8>) -> std::io::Result<()> {
    let parser = default_parser();
    let mut buf = Folded::default();
    out.clear();
    for i in lines {
        let line = batch.line(i);
        // Checked by `from_utf8` first: it is several times faster on valid text than
        // `from_utf8_lossy`'s chunking, and lines are nearly always valid.
        let text = match std::str::from_utf8(line) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(line),
        };
        let parsed = parser.parse_with(&text, &mut buf);
        serde_json::to_writer(&mut *out, &parsed)?;
        out.push(b'\n');
    }
    Ok(())
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

    /// The eval questions and stray bytes, the last line without its newline: parsed on
    /// several threads, the output is line for line what one thread writes.
    #[test]
    fn several_threads_write_what_one_writes_in_the_same_order() {
        let mut input = Vec::new();
        for entry in std::fs::read_dir("tests/eval").unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "tsv") {
                for line in std::fs::read_to_string(path).unwrap().lines() {
                    input.extend_from_slice(line.split('\t').next().unwrap_or("").as_bytes());
                    input.push(b'\n');
                }
            }
        }
        input.extend_from_slice(b"\xff\xfe status\n\n\xc3\nhvorn\xc3\xa5r kommer dream");
        let run = |threads| {
            let mut out = Vec::new();
            parse_stream_on(input.as_slice(), &mut out, threads).unwrap();
            out
        };
        let one = run(1);
        assert_eq!(
            one.iter().filter(|&&b| b == b'\n').count(),
            input.split(|&b| b == b'\n').count()
        );
        assert!(input.len() > 1 << 18, "more lines than one batch holds");
        for threads in [2, 3, 8] {
            assert!(one == run(threads), "{threads} threads");
        }
    }

    /// A reader that hands out one line per read and, before each later one, checks that every
    /// line it has handed out is answered: so a line piped alone never waits for the next.
    struct OneLineAtATime {
        lines: Vec<&'static [u8]>,
        given: usize,
        answers: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    }

    impl std::io::Read for OneLineAtATime {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let answered = self
                .answers
                .lock()
                .unwrap()
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            assert_eq!(
                answered, self.given,
                "a line read is answered before the next read"
            );
            let Some(line) = self.lines.get(self.given) else {
                return Ok(0);
            };
            buf[..line.len()].copy_from_slice(line);
            self.given += 1;
            Ok(line.len())
        }
    }

    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn each_line_is_answered_before_the_next_is_waited_for() {
        let answers = std::sync::Arc::default();
        let input = OneLineAtATime {
            lines: vec![b"status ky\n", b"hvorn\xc3\xa5r kommer dream?\n", b"hej\n"],
            given: 0,
            answers: std::sync::Arc::clone(&answers),
        };
        parse_stream_on(input, Shared(std::sync::Arc::clone(&answers)), 4).unwrap();
        assert_eq!(
            answers
                .lock()
                .unwrap()
                .iter()
                .filter(|&&b| b == b'\n')
                .count(),
            3
        );
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
