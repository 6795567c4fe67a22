fn main() -> std::process::ExitCode {
    flisbot::cli::run()
}
