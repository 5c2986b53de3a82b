//! Contract tests of the payment-import repository against PostgreSQL (decision 0149).
