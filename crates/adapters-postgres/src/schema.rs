//! Diesel table definitions, matching the SQL migrations.

diesel::table! {
    actors (id) {
        id -> Text,
        name -> Text,
        roles -> Array<Text>,
        token_hash -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_records (scope, idempotency_key) {
        scope -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        response_status -> Int2,
        response_body -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    number_sequences (name, year) {
        name -> Text,
        year -> Int4,
        last_value -> Int8,
    }
}

diesel::table! {
    rate_limit_windows (bucket, window_start) {
        bucket -> Text,
        window_start -> Timestamptz,
        hits -> Int4,
    }
}

diesel::table! {
    offers (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        description -> Text,
        service_type -> Text,
        monthly_price -> Int8,
        currency -> Text,
        tax_rate_bp -> Int4,
        commitment_months -> Int4,
        status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        usage_terms -> Bool,
        allowance_voice_seconds -> Nullable<Int8>,
        allowance_sms -> Nullable<Int8>,
        allowance_data_bytes -> Nullable<Int8>,
        rate_voice_per_minute -> Nullable<Int8>,
        rate_sms_each -> Nullable<Int8>,
        rate_data_per_mb -> Nullable<Int8>,
    }
}

diesel::table! {
    clients (id) {
        id -> Text,
        cin -> Nullable<Text>,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        city -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        kind -> Text,
        company_name -> Nullable<Text>,
        ice -> Nullable<Text>,
        rc -> Nullable<Text>,
        tax_id -> Nullable<Text>,
        representative_name -> Nullable<Text>,
        representative_cin -> Nullable<Text>,
        invoicing -> Text,
    }
}

diesel::table! {
    client_audit (id) {
        id -> Text,
        client_id -> Text,
        at -> Timestamptz,
        actor_id -> Text,
        action -> Text,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
    }
}

diesel::table! {
    subscribers (id) {
        id -> Text,
        client_id -> Text,
        service_type -> Text,
        service_identifier -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    contracts (id) {
        id -> Text,
        contract_number -> Text,
        client_id -> Text,
        subscriber_id -> Text,
        offer_id -> Text,
        service_type -> Text,
        status -> Text,
        contract_start_date -> Date,
        commitment_months -> Int4,
        commitment_end_date -> Date,
        monthly_price -> Int8,
        currency -> Text,
        tax_rate_bp -> Int4,
        termination_date -> Nullable<Date>,
        document_version -> Int4,
        suspended_by_dunning -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    contract_offer_periods (id) {
        id -> Int8,
        contract_id -> Text,
        offer_id -> Text,
        monthly_price -> Int8,
        tax_rate_bp -> Int4,
        start_date -> Date,
        end_date -> Nullable<Date>,
        created_at -> Timestamptz,
        usage_terms -> Bool,
        allowance_voice_seconds -> Nullable<Int8>,
        allowance_sms -> Nullable<Int8>,
        allowance_data_bytes -> Nullable<Int8>,
        rate_voice_per_minute -> Nullable<Int8>,
        rate_sms_each -> Nullable<Int8>,
        rate_data_per_mb -> Nullable<Int8>,
    }
}

diesel::table! {
    contract_audit (id) {
        id -> Text,
        contract_id -> Text,
        at -> Timestamptz,
        actor_id -> Text,
        action -> Text,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
    }
}

diesel::table! {
    contract_documents (contract_id, version) {
        contract_id -> Text,
        version -> Int4,
        pdf -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    drafts (id) {
        id -> Text,
        payload -> Jsonb,
        status -> Text,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        created_by -> Nullable<Text>,
    }
}

diesel::table! {
    landing_otp_challenges (id) {
        id -> Text,
        client_id -> Text,
        channel -> Text,
        code_hash -> Text,
        attempts_left -> Int4,
        expires_at -> Timestamptz,
        consumed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    billing_runs (id) {
        id -> Text,
        period -> Text,
        issue_date -> Date,
        due_date -> Date,
        status -> Text,
        dry_run -> Bool,
        invoice_count -> Int4,
        skipped_count -> Int4,
        total_excl_tax -> Int8,
        total_tax -> Int8,
        total_incl_tax -> Int8,
        currency -> Text,
        actor_id -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        idempotency_scope -> Nullable<Text>,
        idempotency_key -> Nullable<Text>,
        request_fingerprint -> Nullable<Text>,
    }
}

diesel::table! {
    invoices (id) {
        id -> Text,
        invoice_number -> Text,
        billing_run_id -> Text,
        client_id -> Text,
        contract_id -> Text,
        offer_id -> Text,
        service_type -> Text,
        period -> Text,
        issue_date -> Date,
        due_date -> Date,
        status -> Text,
        total_excl_tax -> Int8,
        total_tax -> Int8,
        total_incl_tax -> Int8,
        amount_paid -> Int8,
        currency -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        credited_amount -> Int8,
        buyer_name -> Text,
        buyer_cin -> Nullable<Text>,
        buyer_ice -> Nullable<Text>,
        buyer_address -> Nullable<Text>,
        buyer_city -> Nullable<Text>,
        service_identifier -> Text,
        seller_identity_id -> Int8,
        invoicing -> Text,
        replaces_invoice_id -> Nullable<Text>,
    }
}

diesel::table! {
    seller_identities (id) {
        id -> Int8,
        name -> Text,
        address -> Text,
        ice -> Text,
        if_number -> Text,
        rc -> Text,
        tva_number -> Text,
        pending -> Bool,
        created_at -> Timestamptz,
        tp -> Text,
    }
}

diesel::table! {
    invoice_lines (id) {
        id -> Int8,
        invoice_id -> Text,
        position -> Int4,
        description -> Text,
        offer_id -> Text,
        start_date -> Date,
        end_date -> Date,
        days -> Int4,
        monthly_price -> Int8,
        amount_excl_tax -> Int8,
        tax_rate_bp -> Int4,
        tax_amount -> Int8,
        amount_incl_tax -> Int8,
        contract_id -> Text,
        kind -> Text,
        usage_kind -> Nullable<Text>,
        quantity -> Nullable<Int8>,
        unit_price -> Nullable<Int8>,
    }
}

diesel::table! {
    invoice_documents (invoice_id) {
        invoice_id -> Text,
        pdf -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    payments (id) {
        id -> Text,
        client_id -> Text,
        amount -> Int8,
        currency -> Text,
        method -> Text,
        reference -> Nullable<Text>,
        received_at -> Date,
        unallocated_amount -> Int8,
        actor_id -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    payment_allocations (id) {
        id -> Int8,
        payment_id -> Text,
        invoice_id -> Text,
        amount -> Int8,
        created_at -> Timestamptz,
        kind -> Text,
    }
}

diesel::table! {
    dunning_last_run (singleton) {
        singleton -> Bool,
        completed_at -> Timestamptz,
    }
}

diesel::table! {
    collection_cases (id) {
        id -> Text,
        client_id -> Text,
        status -> Text,
        dunning_level -> Int4,
        opened_at -> Timestamptz,
        resolved_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        promised_date -> Nullable<Date>,
        promised_amount -> Nullable<Int8>,
        promise_made_at -> Nullable<Timestamptz>,
        promise_settled_before -> Nullable<Int8>,
        ladder_shift_days -> Int4,
    }
}

diesel::table! {
    case_disputed_invoices (id) {
        id -> Int8,
        case_id -> Text,
        invoice_id -> Text,
        opened_at -> Timestamptz,
        closed_at -> Nullable<Timestamptz>,
        outcome -> Nullable<Text>,
        credit_note_id -> Nullable<Text>,
    }
}

diesel::table! {
    case_actions (id) {
        id -> Text,
        case_id -> Text,
        action_type -> Text,
        note -> Nullable<Text>,
        automatic -> Bool,
        actor_id -> Text,
        dunning_step -> Nullable<Text>,
        at -> Timestamptz,
    }
}

diesel::table! {
    /// The event outbox. `tx_id` (`xid8`, default `pg_current_xact_id()`) is left out: diesel
    /// has no type for it, it is never written by hand, and the feed reads it with SQL.
    events (id) {
        id -> Text,
        #[sql_name = "type"]
        event_type -> Text,
        occurred_at -> Timestamptz,
        actor_id -> Nullable<Text>,
        data -> Json,
        seq -> Int8,
    }
}

diesel::joinable!(subscribers -> clients (client_id));
diesel::joinable!(contracts -> clients (client_id));
diesel::joinable!(contracts -> subscribers (subscriber_id));
diesel::table! {
    usage_records (record_id) {
        record_id -> Text,
        contract_id -> Text,
        service_identifier -> Text,
        kind -> Text,
        started_at -> Timestamptz,
        usage_date -> Date,
        quantity -> Int8,
        destination -> Nullable<Text>,
        received_at -> Timestamptz,
        late -> Bool,
        billed_invoice_id -> Nullable<Text>,
    }
}

diesel::table! {
    invoice_usage (invoice_id, contract_id, kind) {
        invoice_id -> Text,
        contract_id -> Text,
        kind -> Text,
        used -> Int8,
        included -> Nullable<Int8>,
    }
}

diesel::table! {
    usage_thresholds (contract_id, period, kind, percent) {
        contract_id -> Text,
        period -> Text,
        kind -> Text,
        percent -> Int4,
        reached_at -> Timestamptz,
    }
}

diesel::joinable!(contracts -> offers (offer_id));
diesel::joinable!(contract_offer_periods -> contracts (contract_id));
diesel::joinable!(contract_audit -> contracts (contract_id));
diesel::joinable!(client_audit -> clients (client_id));
diesel::joinable!(contract_documents -> contracts (contract_id));
diesel::joinable!(invoices -> billing_runs (billing_run_id));
diesel::joinable!(invoices -> clients (client_id));
diesel::joinable!(invoices -> contracts (contract_id));
diesel::joinable!(invoice_lines -> invoices (invoice_id));
diesel::joinable!(invoice_documents -> invoices (invoice_id));
diesel::joinable!(payments -> clients (client_id));
diesel::joinable!(payment_allocations -> payments (payment_id));
diesel::joinable!(payment_allocations -> invoices (invoice_id));
diesel::joinable!(collection_cases -> clients (client_id));
diesel::joinable!(case_actions -> collection_cases (case_id));
diesel::joinable!(case_disputed_invoices -> collection_cases (case_id));
diesel::joinable!(landing_otp_challenges -> clients (client_id));

diesel::table! {
    credit_notes (id) {
        id -> Text,
        credit_note_number -> Text,
        invoice_id -> Text,
        client_id -> Text,
        issue_date -> Date,
        reason -> Text,
        total_excl_tax -> Int8,
        total_tax -> Int8,
        total_incl_tax -> Int8,
        applied_to_invoice -> Int8,
        credited_to_balance -> Int8,
        credit_remaining -> Int8,
        currency -> Text,
        actor_id -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    credit_note_lines (credit_note_id, position) {
        credit_note_id -> Text,
        position -> Int4,
        description -> Text,
        amount_excl_tax -> Int8,
        tax_rate_bp -> Int4,
        tax_amount -> Int8,
        amount_incl_tax -> Int8,
    }
}

diesel::table! {
    ledger_audit (id) {
        id -> Text,
        client_id -> Text,
        document_kind -> Text,
        document_id -> Text,
        action -> Text,
        actor_id -> Text,
        at -> Timestamptz,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
    }
}

diesel::table! {
    credit_note_allocations (id) {
        id -> Int8,
        credit_note_id -> Text,
        invoice_id -> Text,
        amount -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    refunds (id) {
        id -> Text,
        client_id -> Text,
        amount -> Int8,
        currency -> Text,
        method -> Text,
        reference -> Nullable<Text>,
        actor_id -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    refund_sources (id) {
        id -> Int8,
        refund_id -> Text,
        payment_id -> Nullable<Text>,
        credit_note_id -> Nullable<Text>,
        amount -> Int8,
    }
}

diesel::table! {
    payment_reversals (id) {
        id -> Text,
        payment_id -> Text,
        client_id -> Text,
        amount -> Int8,
        reason -> Text,
        actor_id -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    credit_note_documents (credit_note_id) {
        credit_note_id -> Text,
        pdf -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(credit_notes -> invoices (invoice_id));
diesel::joinable!(credit_note_documents -> credit_notes (credit_note_id));
diesel::joinable!(credit_note_lines -> credit_notes (credit_note_id));

diesel::table! {
    payment_imports (id) {
        id -> Text,
        actor_id -> Text,
        line_count -> Int4,
        posted_amount -> Int8,
        unidentified_amount -> Int8,
        duplicate_count -> Int4,
        rejected_count -> Int4,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    unidentified_receipts (id) {
        id -> Text,
        import_id -> Text,
        line -> Int4,
        amount -> Int8,
        currency -> Text,
        received_at -> Date,
        reference -> Text,
        payer -> Nullable<Text>,
        status -> Text,
        client_id -> Nullable<Text>,
        payment_id -> Nullable<Text>,
        assigned_by -> Nullable<Text>,
        assigned_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    payment_import_lines (import_id, line) {
        import_id -> Text,
        line -> Int4,
        status -> Text,
        amount -> Nullable<Int8>,
        payment_id -> Nullable<Text>,
        receipt_id -> Nullable<Text>,
        invoice_number -> Nullable<Text>,
        client_id -> Nullable<Text>,
        message -> Nullable<Text>,
    }
}

diesel::joinable!(payment_import_lines -> payment_imports (import_id));
diesel::joinable!(unidentified_receipts -> payment_imports (import_id));

diesel::table! {
    pending_charges (id) {
        id -> Text,
        contract_id -> Text,
        regularised_invoice_id -> Text,
        description -> Text,
        offer_id -> Text,
        start_date -> Date,
        end_date -> Date,
        days -> Int4,
        monthly_price -> Int8,
        amount_excl_tax -> Int8,
        tax_rate_bp -> Int4,
        created_at -> Timestamptz,
        billed_invoice_id -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        url -> Text,
        event_types -> Array<Text>,
        description -> Text,
        secret_sealed -> Bytea,
        previous_secret_sealed -> Nullable<Bytea>,
        previous_secret_until -> Nullable<Timestamptz>,
        enabled -> Bool,
        disabled_at -> Nullable<Timestamptz>,
        failing_since -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        event_id -> Text,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempt_count -> Int4,
        next_attempt_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_attempts (delivery_id, attempt) {
        delivery_id -> Text,
        attempt -> Int4,
        attempted_at -> Timestamptz,
        status_code -> Nullable<Int4>,
        latency_ms -> Int8,
        error -> Nullable<Text>,
        next_retry_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    webhook_dispatch_cursor (id) {
        id -> Bool,
        position -> Nullable<Text>,
    }
}

diesel::table! {
    clearances (document_id) {
        document_id -> Text,
        document_kind -> Text,
        document_number -> Text,
        status -> Text,
        reference -> Nullable<Text>,
        cleared_at -> Nullable<Timestamptz>,
        verification_code -> Nullable<Text>,
        reasons -> Array<Text>,
        attempts -> Int4,
        next_attempt_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        last_error_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    archive_heads (series) {
        series -> Text,
        position -> Int8,
        last_number -> Nullable<Text>,
        chain_sha256 -> Nullable<Bytea>,
        updated_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    archive_entries (series, position) {
        series -> Text,
        position -> Int8,
        document_id -> Text,
        version -> Int4,
        number -> Text,
        issued_on -> Date,
        pdf_sha256 -> Bytea,
        ubl_sha256 -> Nullable<Bytea>,
        chain_sha256 -> Bytea,
        sealed_at -> Timestamptz,
    }
}

diesel::joinable!(archive_entries -> archive_heads (series));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));

diesel::allow_tables_to_appear_in_same_query!(
    actors,
    idempotency_records,
    number_sequences,
    rate_limit_windows,
    offers,
    clients,
    client_audit,
    subscribers,
    contracts,
    contract_offer_periods,
    contract_audit,
    contract_documents,
    drafts,
    landing_otp_challenges,
    billing_runs,
    invoices,
    invoice_lines,
    invoice_documents,
    seller_identities,
    payments,
    payment_allocations,
    collection_cases,
    case_actions,
    case_disputed_invoices,
    dunning_last_run,
    credit_notes,
    credit_note_lines,
    credit_note_documents,
    ledger_audit,
    credit_note_allocations,
    refunds,
    refund_sources,
    payment_reversals,
    payment_imports,
    unidentified_receipts,
    payment_import_lines,
    pending_charges,
    events,
    webhook_endpoints,
    webhook_deliveries,
    webhook_attempts,
    webhook_dispatch_cursor,
    clearances,
    archive_heads,
    archive_entries,
    usage_records,
    invoice_usage,
    usage_thresholds,
);
