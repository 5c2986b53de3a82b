//! Unit tests of the payment-file import and the assignment of receipts, on mocked ports.
