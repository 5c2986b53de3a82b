//! Entry point: `cargo run --release` starts the server on its embedded default; the
//! subcommands of `cli` are the maintenance tasks.

use clap::Parser;
use tracing_subscriber::EnvFilter;

use app::cli::{Cli, Command};

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    if matches!(cli.command, None | Some(Command::Serve)) {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    } else {
        // A task's stdout is its answer (a token, a summary): logs go to stderr.
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
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
