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
        invoicing -> Text,
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

diesel::joinable!(subscribers -> clients (client_id));
diesel::joinable!(contracts -> clients (client_id));
diesel::joinable!(contracts -> subscribers (subscriber_id));
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
    payments,
    payment_allocations,
    collection_cases,
    case_actions,
    dunning_last_run,
    credit_notes,
    credit_note_lines,
    credit_note_documents,
    ledger_audit,
    credit_note_allocations,
    refunds,
    refund_sources,
    payment_reversals,
);
