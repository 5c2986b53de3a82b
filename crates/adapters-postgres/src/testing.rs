//! Test harness: one private cluster per test process, a fresh database per test.
