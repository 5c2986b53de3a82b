//! Entry point: `cargo run --release` starts the server on its embedded default.

use tracing_subscriber::EnvFilter;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let config = match app::config::Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("mt-facturation: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match app::server::run(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mt-facturation: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
