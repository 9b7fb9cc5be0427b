#![deny(clippy::unwrap_used, clippy::expect_used)]

use std::process::ExitCode;

use medusa_users::cli::{self, Cli, console};
use medusa_users::connect::{self, ConnectError, PasswordSource};
use medusa_users::tui::{self, TuiOptions};

fn main() -> ExitCode {
    medusa_users::startup::mark();
    // Usage errors, --help and --version are printed by the parser; it says how to exit.
    let cli = match cli::parse::parse_from(std::env::args_os()) {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(u8::try_from(code).unwrap_or(1)),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            console::error(&format!("cannot start the async runtime: {e}"));
            return ExitCode::from(1);
        }
    };
    let code = if cli.command.is_none() {
        runtime.block_on(run_tui(cli))
    } else {
        medusa_users::logging::init_stderr();
        runtime.block_on(cli::run(cli))
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

/// `medusa-users` with no subcommand: the console.
async fn run_tui(mut cli: Cli) -> i32 {
    // Hooks first: the TUI's terminal-restoring panic hook (tui::terminal) then wraps
    // color-eyre's report, so the report prints on a restored terminal.
    if let Err(e) = color_eyre::install() {
        console::error(&e.to_string());
        return 1;
    }
    if let Err(e) = medusa_users::logging::init_file() {
        console::warning(&format!("no log file: {e}"));
    }
    // The flags as given, before the config filled them in: a profile switch starts from them.
    let original = cli.connect.clone();
    let applied = match connect::apply_config(&mut cli.connect) {
        Ok(a) => a,
        Err(e) => {
            console::error(&e.to_string());
            return cli::exit::USAGE;
        }
    };
    for w in &applied.warnings {
        console::warning(w);
    }
    // Connect before taking over the terminal, so a bad URL or a sandbox that cannot start is
    // reported as plain text. A missing password is asked for inside the TUI.
    let connection = match connect::connect(&cli.connect, PasswordSource::Defer).await {
        Ok(c) => c,
        Err(ConnectError::Api(e)) => {
            console::error(&e.status_line());
            return cli::exit::for_api(&e);
        }
        Err(ConnectError::Usage(m)) => {
            console::error(&m);
            return cli::exit::USAGE;
        }
        Err(e) => {
            console::error(&e.to_string());
            return cli::exit::FAILURE;
        }
    };
    let keymap = match tui::keymap::Keymap::with_overrides(&applied.keys) {
        Ok(k) => k,
        Err(e) => {
            console::error(&format!("config: {e}"));
            return cli::exit::USAGE;
        }
    };
    let options = TuiOptions {
        keymap,
        page_size: cli.page_size.or(applied.page_size),
        page_size_flag: cli.page_size,
        read_only: cli.connect.read_only,
        mouse: cli.mouse(&applied),
        mouse_flag: cli.mouse_flag(),
        profile: applied.profile,
        profiles: applied.profiles,
        theme: applied.theme,
        connect: original,
    };
    match tui::run(connection, options).await {
        Ok(()) => cli::exit::OK,
        Err(e) => {
            console::error(&e.to_string());
            cli::exit::FAILURE
        }
    }
}
