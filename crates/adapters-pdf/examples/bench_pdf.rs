//! Times contract and invoice rendering: mean milliseconds and bytes per document.
//!
//! `cargo run --release -p adapters-pdf --example bench_pdf [-- <documents per kind>]`
//! (default 500). Single-threaded, renderer built once as in the application.

#[path = "../tests/samples/mod.rs"]
mod samples;

use std::error::Error;
use std::time::{Duration, Instant};

use adapters_pdf::GenPdfRenderer;
use domain::documents::DocumentRenderer;

fn main() -> Result<(), Box<dyn Error>> {
    let count: u32 = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 500,
    };
    let started = Instant::now();
    let renderer = GenPdfRenderer::new()?;
    println!("renderer setup: {:.3} ms", ms(started.elapsed()));

    let contract = samples::contract();
    let invoice = samples::invoice();
    let long_invoice = samples::long_invoice(120);
    // Warm-up, so one-off allocations do not weigh on the mean.
    renderer.contract(&contract)?;
    renderer.invoice(&invoice)?;

    report("contract (1 page)", count, || renderer.contract(&contract))?;
    report("invoice, 2 lines (1 page)", count, || {
        renderer.invoice(&invoice)
    })?;
    report("invoice, 120 lines (6 pages)", count / 10, || {
        renderer.invoice(&long_invoice)
    })?;
    Ok(())
}

fn report(
    label: &str,
    count: u32,
    mut render: impl FnMut() -> domain::Result<Vec<u8>>,
) -> Result<(), Box<dyn Error>> {
    let count = count.max(1);
    let mut bytes = 0_usize;
    let mut slowest = Duration::ZERO;
    let started = Instant::now();
    for _ in 0..count {
        let one = Instant::now();
        bytes += render()?.len();
        slowest = slowest.max(one.elapsed());
    }
    let total = started.elapsed();
    println!(
        "{label:<30} n={count:<4} mean {:.3} ms/doc, max {:.3} ms, {} bytes/doc",
        ms(total) / f64::from(count),
        ms(slowest),
        bytes / count as usize,
    );
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
