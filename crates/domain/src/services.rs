//! Every use-case service, built once from the ports and shared by the driving adapters.

use crate::access::AccessService;
use crate::billing::{BillingService, InvoiceService};
use crate::catalog::CatalogService;
use crate::clients::ClientService;
use crate::collections::{CaseService, DunningService, PaymentService};
use crate::contracts::ContractService;
use crate::credit_notes::CreditNoteService;
use crate::einvoicing::ClearanceService;
use crate::events::EventService;
use crate::exports::ExportService;
use crate::landing::LandingService;
use crate::ledger::LedgerService;
use crate::payment_imports::PaymentImportService;
use crate::ports::Ports;
use crate::retention::RetentionService;
use crate::usage::UsageService;
use crate::usage::UsageViewService;

/// The application's use cases.
#[derive(Clone)]
pub struct Services {
    /// The ports, for driving adapters that need the clock or transactions directly.
    pub ports: Ports,
    /// Authentication and actors.
    pub access: AccessService,
    /// Offers and categories (P1, P2).
    pub catalog: CatalogService,
    /// Clients and their lines (P3).
    pub clients: ClientService,
    /// Payments and settlement (P14).
    pub payments: PaymentService,
    /// Dunning runs (P15).
    pub dunning: DunningService,
    /// Collection cases and the overview (P15).
    pub cases: CaseService,
    /// Contracts: provisioning, lifecycle, offer changes, audit, documents.
    pub contracts: ContractService,
    /// The public self-service journey (P7–P10).
    pub landing: LandingService,
    /// Billing runs (P11).
    pub billing: BillingService,
    /// Invoices, their PDFs and the client self-service (P12, P13).
    pub invoices: InvoiceService,
    /// The purge of expired working data.
    pub retention: RetentionService,
    /// Client balance, statement, refunds and payment reversals.
    pub ledger: LedgerService,
    /// Credit notes (issue #14).
    pub credit_notes: CreditNoteService,
    /// Accounting exports and reports (issue #22 §4).
    pub exports: ExportService,
    /// Bank payment files and unidentified money (issue #22).
    pub payment_imports: PaymentImportService,
    /// The event feed (issue #16).
    pub events: EventService,
    /// Clearance by the tax authority (issue #18): reads and figures.
    pub clearance: ClearanceService,
    /// Usage by contract and month, and the client's on the landing (issue #21).
    pub usage_views: UsageViewService,
    /// Usage records from the network (issue #21).
    pub usage: UsageService,
}

impl Services {
    /// Builds every service over the same ports.
    pub fn new(ports: Ports) -> Self {
        Self {
            access: AccessService::new(&ports),
            catalog: CatalogService::new(&ports),
            clients: ClientService::new(&ports),
            events: EventService::new(&ports),
            payments: PaymentService::new(&ports),
            dunning: DunningService::new(&ports),
            cases: CaseService::new(&ports),
            contracts: ContractService::new(&ports),
            landing: LandingService::new(
                &ports,
                ClientService::new(&ports),
                ContractService::new(&ports),
            ),
            billing: BillingService::new(&ports),
            invoices: InvoiceService::new(&ports),
            retention: RetentionService::new(&ports),
            ledger: LedgerService::new(&ports),
            credit_notes: CreditNoteService::new(&ports),
            exports: ExportService::new(&ports),
            payment_imports: PaymentImportService::new(&ports),
            clearance: ClearanceService::new(&ports),
            usage_views: UsageViewService::new(
                &ports,
                LandingService::new(
                    &ports,
                    ClientService::new(&ports),
                    ContractService::new(&ports),
                ),
            ),
            usage: UsageService::new(&ports),
            ports,
        }
    }
}
