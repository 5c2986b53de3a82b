//! Migrations embedded in the binary.
