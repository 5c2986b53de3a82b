//! The command line: `mt-facturation` alone serves (so `cargo run --release` is unchanged);
//! the subcommands are the operator's maintenance tasks (decision 0165). Every command reads
//! the same environment as the server.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Parser, Subcommand};
use domain::access::NewActor;
use domain::clock::SystemClock;

use crate::backup;
use crate::config::Config;
use crate::database;
use crate::secrets::token_secret;
use crate::wiring;

/// MT-Facturation billing back office. Configuration comes from the environment (README).
#[derive(Debug, Parser)]
#[command(name = "mt-facturation", version, about)]
pub struct Cli {
    /// What to do; serving the API when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The operator's tasks.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API (the default).
    Serve,
    /// Apply pending database migrations, then exit (upgrades: run before the new version).
    Migrate,
    /// Create an actor and print its bearer token, shown only this once.
    CreateActor {
        /// Display name.
        #[arg(long)]
        name: String,
        /// A role (admin, agent, …); repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// Write a consistent online backup of the database (pg_dump custom format) to FILE.
    Backup {
        /// Where to write it; replaced only once the backup is complete.
        file: PathBuf,
    },
    /// Restore FILE into an empty data folder (embedded) or an empty DATABASE_URL database.
    Restore {
        /// A file written by `backup`.
        file: PathBuf,
    },
    /// Read and check the configuration, print a summary, change nothing.
    CheckConfig,
}

/// Runs a maintenance command (everything but `serve`); the message is for the operator.
pub fn run_task(command: &Command, config: &Config) -> Result<String, String> {
    match command {
        Command::Serve => Err("serve runs the server, not a task".into()),
        Command::Migrate => migrate(config),
        Command::CreateActor { name, roles } => create_actor(config, name, roles),
        Command::Backup { file } => backup::backup(config, file)
            .map(|()| format!("backup written to {}", file.display()))
            .map_err(|e| e.to_string()),
        Command::Restore { file } => backup::restore(config, file)
            .map(|()| format!("restored {}; start the server to serve it", file.display()))
            .map_err(|e| e.to_string()),
        Command::CheckConfig => Ok(check_config(config)),
    }
}

fn migrate(config: &Config) -> Result<String, String> {
    let mut db = open(config)?;
    if let Some(cluster) = db.cluster.as_mut() {
        cluster.stop();
    }
    Ok("database schema is current".into())
}

fn create_actor(config: &Config, name: &str, roles: &[String]) -> Result<String, String> {
    let mut db = open(config)?;
    let outcome = (|| {
        let secret = token_secret(config.token_secret.as_deref(), &config.data_dir)
            .map_err(|e| e.to_string())?;
        let services = wiring::services(
            db.store.clone(),
            Arc::new(SystemClock),
            &secret,
            config.settings.clone(),
            wiring::otp_sender(&config.otp_sender),
        )
        .map_err(|e| e.to_string())?;
        let request = NewActor {
            name: name.to_owned(),
            roles: roles.to_vec(),
        };
        services
            .access
            .create_actor(&request)
            .map(|(actor, token)| format!("actor {} created; bearer token: {token}", actor.id))
            .map_err(|e| e.to_string())
    })();
    if let Some(cluster) = db.cluster.as_mut() {
        cluster.stop();
    }
    outcome
}

fn open(config: &Config) -> Result<database::Database, String> {
    database::open(config.database_url.as_deref(), &config.data_dir, 1).map_err(|e| e.to_string())
}

fn check_config(config: &Config) -> String {
    let database = match &config.database_url {
        Some(_) => "DATABASE_URL (external PostgreSQL)".to_owned(),
        None => format!("embedded cluster in {}", data_dir_text(&config.data_dir)),
    };
    format!(
        "configuration OK\n  bind: {}\n  database: {database}\n  pool size: {}\n  \
         dunning schedule: {}\n  idempotency retention: {} h",
        config.bind,
        config.pool_size,
        if config.dunning_schedule {
            format!(
                "on, daily at {} Africa/Casablanca",
                config.dunning_at.time().format(HH_MM).unwrap_or_default()
            )
        } else {
            "off".to_owned()
        },
        config.settings.idempotency_retention_hours,
    )
}

/// `HH:MM`, as `MTF_DUNNING_AT` is written.
const HH_MM: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[hour]:[minute]");

fn data_dir_text(dir: &Path) -> String {
    dir.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_subcommand_means_serve() {
        let cli = Cli::try_parse_from(["mt-facturation"]).map_err(|e| e.to_string());
        assert!(matches!(cli, Ok(Cli { command: None })));
    }

    #[test]
    fn backup_takes_a_file_and_create_actor_needs_a_role() {
        let cli = Cli::try_parse_from(["mt-facturation", "backup", "/tmp/b.dump"])
            .map_err(|e| e.to_string());
        assert!(
            matches!(cli, Ok(Cli { command: Some(Command::Backup { ref file }) }) if file == Path::new("/tmp/b.dump"))
        );
        assert!(Cli::try_parse_from(["mt-facturation", "create-actor", "--name", "A"]).is_err());
        assert!(Cli::try_parse_from(["mt-facturation", "restore"]).is_err());
    }
}
