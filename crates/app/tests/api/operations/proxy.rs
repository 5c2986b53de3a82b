//! A Unix-socket relay in front of the test cluster, which a test can cut (every connection
//! dropped, nothing accepted: PostgreSQL is gone) and restore, to play a database outage
//! without stopping the cluster the other tests share.

use std::io;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// PostgreSQL's socket file name for port 5432.
const SOCKET: &str = ".s.PGSQL.5432";

pub struct Relay {
    dir: PathBuf,
    target: PathBuf,
    /// Bumped on every cut: accept loops of an older generation stop.
    generation: Arc<AtomicU64>,
    open: Arc<Mutex<Vec<UnixStream>>>,
}

impl Relay {
    /// A relay to the cluster whose libpq string is `url` (`host=<socket folder> port=5432`),
    /// or `None` when the tests use a server over TCP.
    pub fn to(url: &str) -> Option<Relay> {
        let host = url
            .split_whitespace()
            .find_map(|part| part.strip_prefix("host="))?;
        if !host.starts_with('/') || !url.contains("port=5432") {
            return None;
        }
        let dir = std::env::temp_dir().join(format!("mtf-relay-{}", ulid::Ulid::new()));
        std::fs::create_dir_all(&dir).ok()?;
        let relay = Relay {
            dir,
            target: PathBuf::from(host).join(SOCKET),
            generation: Arc::new(AtomicU64::new(0)),
            open: Arc::new(Mutex::new(Vec::new())),
        };
        relay.restore().ok()?;
        Some(relay)
    }

    /// `url` with its host replaced by this relay.
    pub fn url(&self, url: &str) -> String {
        url.split_whitespace()
            .map(|part| match part.strip_prefix("host=") {
                Some(_) => format!("host={}", self.dir.display()),
                None => part.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Accepts connections again.
    pub fn restore(&self) -> io::Result<()> {
        let listener = UnixListener::bind(self.dir.join(SOCKET))?;
        listener.set_nonblocking(true)?;
        let (generation, open, target) = (
            self.generation.clone(),
            self.open.clone(),
            self.target.clone(),
        );
        let mine = generation.load(Ordering::SeqCst);
        thread::spawn(move || {
            while generation.load(Ordering::SeqCst) == mine {
                match listener.accept() {
                    Ok((client, _)) => {
                        let _ = client.set_nonblocking(false);
                        if let Ok(server) = UnixStream::connect(&target) {
                            pipe(client, server, &open);
                        }
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Ok(())
    }

    /// Drops every relayed connection and accepts no more.
    pub fn cut(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let _ = std::fs::remove_file(self.dir.join(SOCKET));
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Copies both ways between `client` and `server` until either side closes.
fn pipe(client: UnixStream, server: UnixStream, open: &Mutex<Vec<UnixStream>>) {
    let (Ok(client_in), Ok(server_in)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    if let (Ok(a), Ok(b)) = (client.try_clone(), server.try_clone()) {
        open.lock().unwrap().extend([a, b]);
    }
    for (mut from, mut to) in [(client_in, server), (server_in, client)] {
        thread::spawn(move || {
            let _ = io::copy(&mut from, &mut to);
            let _ = to.shutdown(std::net::Shutdown::Both);
        });
    }
}
