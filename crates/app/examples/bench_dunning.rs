//! Dunning benchmark: 100,000 clients with overdue invoices spread over the ladder's steps.
//! Times (a) the first run through the use case `POST /collections/dunning/runs` calls
//! (opening cases, taking steps, suspending contracts, audit and events), (b) the floor: the
//! same rows written set-based by a few server-side SQL statements in one transaction, on an
//! identical copy of the seed, and (c) a second run the same day, which finds nothing to do.
//!
//! `cargo run --release -p app --example bench_dunning` (or `just bench-dunning`). Without
//! `DATABASE_URL` it starts a private PostgreSQL cluster in a temporary folder and deletes it
//! afterwards; with `DATABASE_URL` it uses that database, which must be a throw-away one (it
//! migrates it, seeds it, and creates and drops a copy named `<database>_floor`).
//! `BENCH_DEBTORS` changes the count (default 100000); `BENCH_BATCH` the clients per batch
//! transaction (default `DunningService::DEFAULT_BATCH_SIZE`); `BENCH_EXPLAIN=1` prints the
//! executed plan of the candidates query after the first run. The CPU time of this process
//! and of PostgreSQL's during the first run and the floor shows where the wall time goes.

use std::error::Error;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use adapters_postgres::embedded::{Durability, EmbeddedCluster};
use adapters_postgres::{migrations, PgStore};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
use domain::billing::{BillingService, RunRequest};
use domain::clock::{Clock, SystemClock};
use domain::collections::{DunningReport, DunningService};
use domain::idempotency::IdempotencyRequest;
use domain::services::Services;
use domain::settings::Settings;
use http_actix::idempotency::json_response;
use http_actix::routes::billing_runs::BillingRunResponse;

type Failure = Box<dyn Error>;

#[path = "common/sql.rs"]
mod sql;
use sql::{checkpoint, count};
#[path = "common/billing_seed.rs"]
mod billing_seed;
#[path = "common/cpu.rs"]
mod cpu;
use billing_seed::seed_accounts;

/// Days past due cycle through 1..=75, so about a fifth of the debtors sit on each rung:
/// reminder (1–14), second reminder (15–29), suspension (30–59), pre-litigation (60–75).
const SPREAD_DAYS: i64 = 75;

fn main() -> Result<(), Failure> {
    let debtors: i64 = std::env::var("BENCH_DEBTORS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let folder = std::env::temp_dir().join(format!("mtf-bench-dunning-{}", std::process::id()));
    let (url, admin_url, mut cluster) = match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => {
            let admin = with_database(&url, "postgres");
            (url, admin, None)
        }
        _ => {
            println!(
                "starting a private PostgreSQL cluster in {}",
                folder.display()
            );
            let cluster = EmbeddedCluster::start_with(&folder, Durability::Durable)?;
            cluster.ensure_database("mtf_bench")?;
            (
                cluster.database_url("mtf_bench"),
                cluster.database_url("postgres"),
                Some(cluster),
            )
        }
    };
    let result = bench(&url, &admin_url, debtors);
    if let Some(cluster) = cluster.as_mut() {
        cluster.stop();
        std::fs::remove_dir_all(&folder).ok();
    }
    result
}

fn bench(url: &str, admin_url: &str, debtors: i64) -> Result<(), Failure> {
    let mut conn = PgConnection::establish(url)?;
    migrations::run_pending(&mut conn)?;
    let database: String = diesel::sql_query("SELECT current_database() AS name")
        .get_result::<Name>(&mut conn)?
        .name;
    let today = SystemClock.today();
    let started = Instant::now();
    seed_accounts(&mut conn, debtors, 1)?;
    let billing = services(url)?.billing;
    bill(&billing)?;
    drop(billing);
    // Every client owes its February invoice, due 1 to 75 days before today.
    diesel::sql_query(format!(
        "UPDATE invoices SET due_date = DATE '{today}' - \
         (1 + substr(client_id, 6)::int % {SPREAD_DAYS})::int"
    ))
    .execute(&mut conn)?;
    // The shared seed numbers every line like a mobile one; the events read the lines, so
    // landlines and internet lines get identifiers of their kind.
    diesel::sql_query(
        "UPDATE subscribers SET service_identifier = CASE service_type \
         WHEN 'landline' THEN '+2125' || substr(service_identifier, 6) \
         WHEN 'internet' THEN 'NET-' || substr(service_identifier, 6) \
         ELSE service_identifier END",
    )
    .execute(&mut conn)?;
    diesel::sql_query("VACUUM ANALYZE").execute(&mut conn)?;
    println!(
        "seeded {debtors} clients, contracts and overdue invoices (billing run, due dates \
         spread over {SPREAD_DAYS} days) in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    drop(conn);

    let floor_db = format!("{database}_floor");
    let mut admin = PgConnection::establish(admin_url)?;
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {floor_db}")).execute(&mut admin)?;
    diesel::sql_query(format!("CREATE DATABASE {floor_db} TEMPLATE {database}"))
        .execute(&mut admin)?;

    let outcome = measure(url, &with_database(url, &floor_db), today);
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {floor_db}")).execute(&mut admin)?;
    outcome
}

fn measure(url: &str, floor_url: &str, today: time::Date) -> Result<(), Failure> {
    let mut conn = PgConnection::establish(url)?;
    let batch = std::env::var("BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DunningService::DEFAULT_BATCH_SIZE);
    let dunning = services(url)?.dunning.with_batch_size(batch);

    checkpoint(&mut conn);
    let cpu_before = cpu::sample(&mut conn);
    let started = Instant::now();
    let first = dunning.run(None)?;
    let first_time = started.elapsed();
    let cpu_first = (cpu_before, cpu::sample(&mut conn));
    let written = Written::count(&mut conn)?;
    let started = Instant::now();
    let second = dunning.run(None)?;
    let second_time = started.elapsed();

    if std::env::var("BENCH_EXPLAIN").is_ok() {
        let ladder = Settings::default().dunning_ladder;
        println!("plan of the candidates query after the first run:");
        for line in adapters_postgres::explain::dunning_candidates(&mut conn, today, &ladder)? {
            println!("  {line}");
        }
    }
    let mut floor_conn = PgConnection::establish(floor_url)?;
    checkpoint(&mut floor_conn);
    let cpu_before = cpu::sample(&mut floor_conn);
    let floor_time = floor(&mut floor_conn, today)?;
    let cpu_floor = (cpu_before, cpu::sample(&mut floor_conn));
    let floor_written = Written::count(&mut floor_conn)?;

    println!("first run (DunningService::run, batches of {batch}, one transaction each)");
    print_report(&first);
    written.print();
    println!(
        "  wall time               {:.3} s",
        first_time.as_secs_f64()
    );
    println!(
        "  throughput              {:.0} clients/s",
        first.cases_opened as f64 / first_time.as_secs_f64()
    );
    cpu::print_split(cpu_first.0, cpu_first.1, first_time);
    println!("floor (the same rows by server-side INSERT … SELECT / UPDATE, one transaction)");
    floor_written.print();
    println!(
        "  wall time               {:.3} s",
        floor_time.as_secs_f64()
    );
    cpu::print_split(cpu_floor.0, cpu_floor.1, floor_time);
    println!(
        "ratio first run / floor   {:.2} (target ≤ 2)",
        first_time.as_secs_f64() / floor_time.as_secs_f64()
    );
    println!("second run the same day");
    print_report(&second);
    println!(
        "  wall time               {:.3} s (target ≤ 1 s)",
        second_time.as_secs_f64()
    );
    if written != floor_written {
        return Err("the floor did not write what the run wrote".into());
    }
    let nothing = DunningReport::empty(second.as_of);
    if second != nothing {
        return Err("the second run changed something".into());
    }
    Ok(())
}

fn services(url: &str) -> Result<Services, Failure> {
    Ok(app::wiring::services(
        PgStore::connect(url, 4)?,
        Arc::new(SystemClock),
        b"bench-secret-bench-secret-bench-secret",
        Settings::default(),
        Arc::new(app::otp::LogOtpSender),
    )?)
}

fn bill(billing: &BillingService) -> Result<(), Failure> {
    let request = RunRequest {
        period: "2026-02".into(),
        issue_date: Some("2026-03-01".into()),
        dry_run: false,
        due_in_days: None,
    };
    let key = IdempotencyRequest {
        scope: "act_bench".into(),
        key: format!("bench-dunning-{}", std::process::id()),
        fingerprint: "bench".into(),
    };
    billing.run("act_bench", &request, &key, |report| {
        json_response(StatusCode::CREATED, &BillingRunResponse::of_report(report))
    })?;
    Ok(())
}

/// The floor: what the first run writes, as few server-side statements in one transaction
/// (no locks, no per-client decisions; the ladder's default days inlined). Event data is
/// built by PostgreSQL from the rows, about the size of the application's.
fn floor(conn: &mut PgConnection, today: time::Date) -> Result<Duration, Failure> {
    let statements = [
        format!(
            "CREATE TEMP TABLE f_plan AS SELECT client_id, \
             'cas_F' || lpad(row_number() OVER (ORDER BY client_id)::text, 21, '0') AS case_id, \
             DATE '{today}' - min(due_date) AS days, \
             sum(total_incl_tax - amount_paid - credited_amount)::int8 AS overdue, \
             array_agg(id ORDER BY due_date, id) AS ids \
             FROM invoices WHERE status IN ('issued', 'partially_paid') \
             AND due_date < DATE '{today}' AND amount_paid + credited_amount < total_incl_tax \
             GROUP BY client_id"
        ),
        "ALTER TABLE f_plan ADD COLUMN level int".to_owned(),
        "UPDATE f_plan SET level = CASE WHEN days >= 60 THEN 4 WHEN days >= 30 THEN 3 \
         WHEN days >= 15 THEN 2 WHEN days >= 1 THEN 1 ELSE 0 END"
            .to_owned(),
        "CREATE TEMP TABLE f_steps (step text, level int, days int, note text)".to_owned(),
        "INSERT INTO f_steps VALUES \
         ('case_opened', 0, 0, 'overdue invoices found by dunning'), \
         ('reminder_sms', 1, 1, 'payment reminder sent by SMS'), \
         ('second_reminder', 2, 15, 'second reminder sent by e-mail and letter'), \
         ('suspension', 3, 30, 'active contracts suspended'), \
         ('pre_litigation_notice', 4, 60, 'pre-litigation notice sent')"
            .to_owned(),
        "INSERT INTO collection_cases (id, client_id, status, dunning_level, opened_at, \
         created_at, updated_at, ladder_shift_days) \
         SELECT case_id, client_id, 'open', level, now(), now(), now(), 0 FROM f_plan"
            .to_owned(),
        "CREATE TEMP TABLE f_actions AS SELECT 'act_' || gen_random_uuid() AS id, p.case_id, \
         s.step AS action_type, s.note || ' (D+' || p.days || ')' AS note, \
         CASE WHEN s.level > 0 THEN s.step END AS dunning_step, p.client_id, p.overdue, p.ids, \
         GREATEST(s.level, 0) AS level \
         FROM f_plan p JOIN f_steps s ON s.level = 0 OR p.days >= s.days"
            .to_owned(),
        "INSERT INTO case_actions (id, case_id, action_type, note, automatic, actor_id, \
         dunning_step, at) SELECT id, case_id, action_type, note, true, 'system', \
         dunning_step, now() FROM f_actions"
            .to_owned(),
        "CREATE TEMP TABLE f_suspended AS WITH s AS (UPDATE contracts c \
         SET status = 'suspended', suspended_by_dunning = true, updated_at = now() \
         FROM f_plan p WHERE c.client_id = p.client_id AND p.level >= 3 AND c.status = 'active' \
         RETURNING c.*) SELECT * FROM s"
            .to_owned(),
        "INSERT INTO contract_audit (id, contract_id, at, actor_id, action, before, after) \
         SELECT 'aud_' || gen_random_uuid(), id, now(), 'system', 'status_changed', \
         '{\"status\": \"active\"}'::jsonb, \
         '{\"status\": \"suspended\", \"reason\": \"dunning\"}'::jsonb FROM f_suspended"
            .to_owned(),
        "INSERT INTO events (id, type, occurred_at, actor_id, data) \
         SELECT 'evt_' || gen_random_uuid(), \
         CASE WHEN a.dunning_step IS NULL THEN 'collection_case.opened' \
              ELSE 'collection_case.step_taken' END, now(), NULL, \
         jsonb_build_object('case', to_jsonb(c) || jsonb_build_object('overdue_amount', \
           a.overdue, 'invoice_ids', to_jsonb(a.ids), 'disputed_invoice_ids', '[]'::jsonb, \
           'currency', 'MAD', 'dunning_level', a.level), \
           'action', CASE WHEN a.dunning_step IS NOT NULL THEN to_jsonb(x) END) \
         FROM f_actions a JOIN collection_cases c ON c.id = a.case_id \
         JOIN case_actions x ON x.id = a.id ORDER BY a.client_id, a.level"
            .to_owned(),
        "INSERT INTO events (id, type, occurred_at, actor_id, data) \
         SELECT 'evt_' || gen_random_uuid(), 'contract.suspended', now(), NULL, \
         jsonb_build_object('contract', to_jsonb(c), 'reason', 'dunning', \
           'service_identifier', s.service_identifier, 'subscriber', to_jsonb(s)) \
         FROM f_suspended c JOIN subscribers s ON s.id = c.subscriber_id"
            .to_owned(),
        "DROP TABLE f_plan, f_steps, f_actions, f_suspended".to_owned(),
    ];
    let started = Instant::now();
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        for statement in &statements {
            diesel::sql_query(statement.as_str()).execute(conn)?;
        }
        Ok(())
    })?;
    Ok(started.elapsed())
}

fn print_report(report: &DunningReport) {
    println!("  cases opened            {}", report.cases_opened);
    println!("  steps recorded          {}", report.actions_recorded);
    println!("  contracts suspended     {}", report.contracts_suspended);
}

/// Rows the dunning writes, counted in one database.
#[derive(Debug, PartialEq, Eq)]
struct Written {
    cases: i64,
    actions: i64,
    suspended: i64,
    audit: i64,
    events: i64,
}

impl Written {
    fn count(conn: &mut PgConnection) -> Result<Self, Failure> {
        Ok(Self {
            cases: count(conn, "SELECT count(*) AS n FROM collection_cases")?,
            actions: count(conn, "SELECT count(*) AS n FROM case_actions")?,
            suspended: count(
                conn,
                "SELECT count(*) AS n FROM contracts WHERE suspended_by_dunning",
            )?,
            audit: count(conn, "SELECT count(*) AS n FROM contract_audit")?,
            events: count(
                conn,
                "SELECT count(*) AS n FROM events WHERE type <> 'invoice.issued'",
            )?,
        })
    }

    fn print(&self) {
        println!("  cases written           {}", self.cases);
        println!("  actions written         {}", self.actions);
        println!("  contracts suspended     {}", self.suspended);
        println!("  contract audit entries  {}", self.audit);
        println!("  events written          {}", self.events);
    }
}

/// `url` naming database `name` instead (libpq key/value or URI form).
fn with_database(url: &str, name: &str) -> String {
    if url.contains("dbname=") {
        url.split_whitespace()
            .map(|part| {
                if part.starts_with("dbname=") {
                    format!("dbname={name}")
                } else {
                    part.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        let (base, query) = url
            .split_once('?')
            .map_or((url, None), |(b, q)| (b, Some(q)));
        let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
        match query {
            Some(query) => format!("{base}/{name}?{query}"),
            None => format!("{base}/{name}"),
        }
    }
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}
