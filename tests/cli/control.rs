//! The control socket of a process that holds the store (`flisbot serve` here, `flisbot run` in
//! tests/discord): several clients at once, and a holder killed in the middle of a command.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::support::{flisbot, run_with_stdin, text, SEED_DAY};
use crate::web::Server;

/// A client that has connected and keeps sending a request a byte at a time (JSON white
/// space) until told to finish it: it holds its connection as long as it likes.
fn trickling_client(
    socket: std::path::PathBuf,
    finish: Arc<AtomicBool>,
) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = UnixStream::connect(socket).unwrap();
        s.write_all(b"{").unwrap();
        while !finish.load(Ordering::SeqCst) {
            s.write_all(b" ").unwrap();
            std::thread::sleep(Duration::from_millis(100));
        }
        s.write_all(b"\"args\":[\"admin\",\"history\",\"krl\"],\"cwd\":\"/\"}\n")
            .unwrap();
        let mut line = String::new();
        BufReader::new(&s).read_line(&mut line).unwrap();
        line
    })
}

/// An idle client used to hold the socket's one server thread, and every CLI command waited
/// for its 10 s read timeout (or, with a client that keeps trickling, for ever).
#[test]
fn two_cli_commands_are_answered_while_another_client_holds_a_connection() {
    let server = Server::start();
    let socket = server.dir.path().join("control.sock");
    let _idle = UnixStream::connect(&socket).unwrap();
    let finish = Arc::new(AtomicBool::new(false));
    let trickler = trickling_client(socket, Arc::clone(&finish));
    let out = flisbot(server.dir.path())
        .args(["ask", "--now", SEED_DAY, "status krl"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("KRL"), "{}", text(&out.stdout));
    let out = crate::support::set_krl_through_may(server.dir.path(), "Mette");
    assert!(text(&out.stdout).contains("april 2025 → maj 2025"));
    // The slow client is served too, once it is done, and sees the change.
    finish.store(true, Ordering::SeqCst);
    let answer = trickler.join().unwrap();
    assert!(answer.contains("Mette"), "{answer}");
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {sig}");
}

/// Waits until `child` waits for an answer on a Unix socket (its request is then sent: it
/// writes to the socket before it reads), as the kernel tells in `/proc/PID/wchan`.
fn wait_until_it_waits_for_its_answer(child: &Child) {
    let wchan = format!("/proc/{}/wchan", child.id());
    let started = std::time::Instant::now();
    let reading = |w: String| w.starts_with("unix_stream_read") || w == "unix_stream_data_wait";
    while !reading(std::fs::read_to_string(&wchan).unwrap_or_default()) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the command never waited for an answer"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The holder is stopped (SIGSTOP), two commands send it their requests, and it is killed
/// (SIGKILL) before it read them. The change's outcome is unknown and the CLI says so, with
/// where to look, not that the store is in use; the question is simply asked again.
#[test]
fn a_bot_killed_in_the_middle_of_a_command_leaves_its_outcome_unknown_and_says_how_to_check() {
    let server = Server::start();
    let mut holder = server;
    signal(&holder.child, "-STOP");
    let spawn = |args: &[&str]| {
        flisbot(holder.dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let change = spawn(&["admin", "set", "krl", "--state", "ok", "--by", "Pia"]);
    let question = spawn(&["ask", "--now", SEED_DAY, "status krl"]);
    wait_until_it_waits_for_its_answer(&change);
    wait_until_it_waits_for_its_answer(&question);
    signal(&holder.child, "-KILL");
    let _ = holder.child.wait();
    let out = change.wait_with_output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("vides ikke") && err.contains("«flisbot admin history krl»"),
        "{err}"
    );
    assert!(!err.contains("bruges allerede"), "{err}");
    let out = question.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("KRL"),
        "asked again: {}",
        text(&out.stdout)
    );
    // The killed holder never read the change: the history shows no Pia.
    let out = flisbot(holder.dir.path())
        .args(["admin", "history", "krl"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("Pia"), "{}", text(&out.stdout));
}

/// Lines that are not UTF-8 in the console beside a running bot are answered like the others.
#[test]
fn the_console_through_a_running_bot_goes_on_after_bad_bytes() {
    let server = Server::start();
    let out = run_with_stdin(
        flisbot(server.dir.path()).args(["console", "--now", SEED_DAY]),
        b"status ky\nstatus \xff\xfe krl\n\xc3\nstatus fsiii\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    for area in ["KY (", "KRL Personale (", "FSIII ("] {
        assert!(said.contains(area), "{area}: {said}");
    }
    assert!(!said.contains("lageret"), "{said}");
}
