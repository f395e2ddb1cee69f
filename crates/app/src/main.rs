//! The `accountable` binary: parse the command line and hand it to [`accountable_app::cli::run`].

fn main() -> std::process::ExitCode {
    accountable_app::cli::main()
}
