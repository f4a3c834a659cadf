//! The `corridor` command: parse, run, map errors to exit codes (0 ok, 1 bad input or failure,
//! 2 usage). An error prints as `error: <what>` and one `caused by:` line per cause; its
//! backtrace only when `RUST_BACKTRACE` (or `RUST_LIB_BACKTRACE`) asks for one. A closed standard
//! output (`corridor ... | head`) is a normal end: exit 0, nothing printed.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    quiet_decoder_panics();
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli::run(args) {
        Ok(code) => code,
        Err(err) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            // Library errors often quote their source in their own message (`path: source`):
            // a cause already ending the previous line is not printed again.
            let mut last = err.to_string();
            for cause in err.chain().skip(1) {
                let text = cause.to_string();
                if !last.ends_with(&text) {
                    eprintln!("  caused by: {text}");
                }
                last = text;
            }
            if err.backtrace().status() == std::backtrace::BacktraceStatus::Captured {
                eprintln!("\nbacktrace:\n{}", err.backtrace());
            }
            ExitCode::from(1)
        }
    }
}

/// The OSM PBF decoder (the `osmpbf` and `protobuf` crates) panics on some corrupt blocks; the
/// importer catches that and reports the block as corrupt (`error: ...: corrupt PBF: block N`),
/// so its panic message would only add noise. Panics anywhere else print as usual.
fn quiet_decoder_panics() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_decoder = info.location().is_some_and(|l| {
            let file = l.file();
            file.contains("/osmpbf-") || file.contains("/protobuf-")
        });
        if !in_decoder {
            default_hook(info);
        }
    }));
}
