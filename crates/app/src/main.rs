//! Entry point: `cargo run --release` starts the server on its embedded default; the
//! subcommands of `cli` are the maintenance tasks.

use clap::Parser;

use app::cli::{Cli, Command};

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, None | Some(Command::Serve)) {
        app::logging::init(std::io::stdout);
    } else {
        // A task's stdout is its answer (a token, a summary): logs go to stderr.
        app::logging::init(std::io::stderr);
    }
    let config = match app::config::Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("mt-facturation: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let task = match cli.command {
        None | Some(Command::Serve) => None,
        Some(task) => Some(task),
    };
    let Some(task) = task else {
        return match app::server::run(config).await {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("mt-facturation: {error}");
                std::process::ExitCode::FAILURE
            }
        };
    };
    // Tasks block (processes, database): off the async executor.
    let outcome = tokio::task::spawn_blocking(move || app::cli::run_task(&task, &config)).await;
    match outcome {
        Ok(Ok(message)) => {
            println!("{message}");
            std::process::ExitCode::SUCCESS
        }
        Ok(Err(error)) => {
            eprintln!("mt-facturation: {error}");
            std::process::ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("mt-facturation: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
