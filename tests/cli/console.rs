use crate::support::{flisbot, run_with_stdin, text, SEED_DAY};

#[test]
fn the_console_answers_each_line_over_a_pipe() {
    let store = tempfile::tempdir().unwrap();
    let input = "status FSIII\nhvornår kommer datapakker\nexit\nstatus ky\n";
    let out = run_with_stdin(
        flisbot(store.path()).args(["console", "--now", SEED_DAY]),
        input.as_bytes(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // Markdown in a pipe is plain text: no asterisks.
    assert!(stdout.contains("FSIII (Social/Sundhed)"), "{stdout}");
    assert!(!stdout.contains("**"), "{stdout}");
    assert!(stdout.contains("Månedens udgivelse"), "{stdout}");
    assert!(
        !stdout.contains("KY (Beskæftigelse)"),
        "exit ends the console: {stdout}"
    );
    assert!(!stdout.contains("flisbot>"), "no prompt on a pipe");
}

#[test]
fn the_console_ends_cleanly_at_end_of_input() {
    let store = tempfile::tempdir().unwrap();
    let out = run_with_stdin(flisbot(store.path()).arg("console"), b"oversigt");
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("FLIS-status for alle dataområder"));
}

#[test]
fn the_console_goes_on_after_a_line_that_is_not_utf8() {
    let store = tempfile::tempdir().unwrap();
    let out = run_with_stdin(
        flisbot(store.path()).args(["console", "--now", SEED_DAY]),
        b"status ky\nstatus \xff\xfe krl\n\xc3\nstatus fsiii\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    for area in ["KY (", "KRL Personale (", "FSIII ("] {
        assert!(said.contains(area), "{area}: {said}");
    }
}
