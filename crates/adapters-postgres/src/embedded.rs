//! Private PostgreSQL cluster started from the machine's server binaries.
