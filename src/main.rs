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
            if !e.use_stderr() {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            if json_asked(std::env::args()) {
                print_json_error(&first_line(&e.to_string()), &[], 2);
            } else {
                let _ = e.print();
            }
            return ExitCode::from(2);
        }
    };
    let json = args.global.format == cli::Format::Json;
    match cli::run(args) {
        Ok(code) => code,
        Err(err) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Library errors often quote their source in their own message (`path: source`):
            // a cause already ending the previous line is not printed again.
            let mut causes = Vec::new();
            let mut last = err.to_string();
            for cause in err.chain().skip(1) {
                let text = cause.to_string();
                if !last.ends_with(&text) {
                    causes.push(text.clone());
                }
                last = text;
            }
            if json {
                print_json_error(&err.to_string(), &causes, 1);
                return ExitCode::from(1);
            }
            eprintln!("error: {err}");
            for cause in &causes {
                eprintln!("  caused by: {cause}");
            }
            if err.backtrace().status() == std::backtrace::BacktraceStatus::Captured {
                eprintln!("\nbacktrace:\n{}", err.backtrace());
            }
            ExitCode::from(1)
        }
    }
}

/// Under `--format json` an error is one JSON object on standard error, so that a program
/// reading the output can read the failure too: `{"error": ..., "causes": [...], "exit": N}`.
fn print_json_error(error: &str, causes: &[String], exit: u8) {
    let value = serde_json::json!({"error": error, "causes": causes, "exit": exit});
    eprintln!("{value}");
}

/// Whether the raw arguments ask for `--format json` (for errors found before they parse).
fn json_asked(args: impl Iterator<Item = String>) -> bool {
    let args: Vec<String> = args.collect();
    args.iter().enumerate().any(|(i, a)| {
        a == "--format=json" || (a == "--format" && args.get(i + 1).is_some_and(|v| v == "json"))
    })
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(|l| l.trim_start_matches("error: ").trim())
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string()
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
