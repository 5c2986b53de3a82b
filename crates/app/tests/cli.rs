//! The command line as an operator runs it: the real binary, its exit codes and messages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mt-facturation"));
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("run the binary")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn help_lists_every_task() {
    let output = run(&["--help"], &[]);
    assert!(output.status.success());
    let help = text(&output);
    for task in [
        "serve",
        "migrate",
        "create-actor",
        "backup",
        "restore",
        "check-config",
    ] {
        assert!(help.contains(task), "{task} missing from:\n{help}");
    }
}

#[test]
fn check_config_accepts_the_defaults_and_names_a_bad_setting() {
    let ok = run(&["check-config"], &[("MTF_DATA_DIR", "/nonexistent/mtf")]);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("configuration OK"));
    let bad = run(
        &["check-config"],
        &[("MTF_IDEMPOTENCY_RETENTION_HOURS", "12")],
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad).contains("MTF_IDEMPOTENCY_RETENTION_HOURS"),
        "{}",
        text(&bad)
    );
}

#[test]
fn unknown_commands_and_missing_arguments_are_refused() {
    for args in [
        &["frobnicate"][..],
        &["backup"][..],
        &["create-actor", "--name", "Ops"][..],
    ] {
        let output = run(args, &[]);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
    }
}

#[test]
fn restore_refuses_a_missing_file_without_touching_the_data_folder() {
    let dir = std::env::temp_dir().join(format!("mtf-cli-{}", std::process::id()));
    let output = run(
        &["restore", "/nonexistent/backup.dump"],
        &[("MTF_DATA_DIR", dir.to_str().unwrap())],
    );
    assert!(!output.status.success());
    assert!(text(&output).contains("/nonexistent/backup.dump"));
    assert!(!dir.exists(), "nothing created");
}
