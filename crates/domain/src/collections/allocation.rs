//! The allocation rule: the given invoice first, then the client's other open invoices oldest
//! due first, never beyond an invoice's outstanding; the rest stays as client credit.

use super::AllocationOutcome;
use crate::billing::{Invoice, InvoiceStatus};
use crate::money::Money;
use crate::typed_ids::InvoiceId;

/// Result of applying an amount to invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationPlan {
    /// Per invoice touched, in allocation order.
    pub outcomes: Vec<AllocationOutcome>,
    /// What no invoice could take, centimes.
    pub unallocated: Money,
}

/// Applies `amount` to `open` (already sorted by due date, then id): `first` before the
/// others when it is among them. Updates `amount_paid` and `status` of every invoice touched
/// in place and reports what it did. Void and settled invoices take nothing.
pub fn allocate(amount: Money, first: Option<&InvoiceId>, open: &mut [Invoice]) -> AllocationPlan {
    let mut order: Vec<usize> = (0..open.len()).collect();
    if let Some(first) = first {
        if let Some(pos) = open.iter().position(|i| &i.id == first) {
            order.retain(|&i| i != pos);
            order.insert(0, pos);
        }
    }
    let mut remaining = amount;
    let mut outcomes = Vec::new();
    for index in order {
        if remaining.is_zero() {
            break;
        }
        let invoice = &mut open[index];
        let outstanding = invoice.outstanding();
        if outstanding.is_zero() || invoice.status == InvoiceStatus::Void {
            continue;
        }
        let applied = remaining.min(outstanding);
        invoice.amount_paid = invoice.amount_paid.saturating_add(applied);
        invoice.status = InvoiceStatus::for_settlement(
            invoice.total_incl_tax,
            invoice.amount_paid,
            invoice.credited_amount,
        );
        remaining = remaining.saturating_sub(applied);
        outcomes.push(AllocationOutcome {
            invoice_id: invoice.id.clone(),
            amount: applied,
            invoice_status: invoice.status,
            outstanding_after: invoice.outstanding(),
        });
    }
    AllocationPlan {
        outcomes,
        unallocated: remaining,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::Period;
    use crate::service_type::ServiceType;
    use crate::typed_ids::{BillingRunId, ClientId, ContractId, OfferId};
    use time::macros::date;
    use time::{Date, OffsetDateTime};

    fn invoice(id: &str, due: Date, total: i64, paid: i64) -> Invoice {
        Invoice {
            id: InvoiceId::from_stored(id),
            invoice_number: format!("FAC-{id}"),
            billing_run_id: BillingRunId::from_stored("run_1"),
            client_id: ClientId::from_stored("cli_1"),
            contract_id: ContractId::from_stored("ctr_1"),
            invoicing: crate::clients::Invoicing::PerContract,
            offer_id: OfferId::from_stored("ofr_1"),
            service_type: ServiceType::Mobile,
            buyer: crate::testing::buyer(),
            service_identifier: "+212612345678".into(),
            seller_id: crate::parties::SellerIdentityId::from_stored(1),
            period: Period::parse("2026-01").expect("period"),
            issue_date: due,
            due_date: due,
            status: InvoiceStatus::for_payment(Money::from_stored(total), Money::from_stored(paid)),
            lines: Vec::new(),
            total_excl_tax: Money::from_stored(total),
            total_tax: Money::from_stored(0),
            total_incl_tax: Money::from_stored(total),
            amount_paid: Money::from_stored(paid),
            credited_amount: Money::ZERO,
            credit_note_ids: Vec::new(),
            replaces_invoice_id: None,
            usage: Vec::new(),
            currency: "MAD".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn summary(plan: &AllocationPlan) -> Vec<(String, i64, InvoiceStatus, i64)> {
        plan.outcomes
            .iter()
            .map(|o| {
                (
                    o.invoice_id.to_string(),
                    o.amount.centimes(),
                    o.invoice_status,
                    o.outstanding_after.centimes(),
                )
            })
            .collect()
    }

    #[test]
    fn an_exact_payment_settles_the_invoice() {
        let mut open = vec![invoice("inv_a", date!(2026 - 01 - 15), 12_000, 0)];
        let plan = allocate(Money::from_stored(12_000), None, &mut open);
        assert_eq!(
            summary(&plan),
            vec![("inv_a".into(), 12_000, InvoiceStatus::Paid, 0)]
        );
        assert_eq!(plan.unallocated, Money::from_stored(0));
        assert_eq!(open[0].amount_paid, Money::from_stored(12_000));
    }

    #[test]
    fn a_payment_takes_only_what_credit_notes_left_on_the_invoice() {
        let mut credited = invoice("inv_a", date!(2026 - 01 - 15), 12_000, 0);
        credited.credited_amount = Money::from_stored(5_000);
        let mut open = vec![credited];
        let plan = allocate(Money::from_stored(12_000), None, &mut open);
        assert_eq!(
            summary(&plan),
            vec![("inv_a".into(), 7_000, InvoiceStatus::Paid, 0)]
        );
        assert_eq!(plan.unallocated, Money::from_stored(5_000));
    }

    #[test]
    fn a_smaller_payment_leaves_the_invoice_partially_paid() {
        let mut open = vec![invoice("inv_a", date!(2026 - 01 - 15), 12_000, 2_000)];
        let plan = allocate(Money::from_stored(4_000), None, &mut open);
        assert_eq!(
            summary(&plan),
            vec![("inv_a".into(), 4_000, InvoiceStatus::PartiallyPaid, 6_000)]
        );
        assert_eq!(plan.unallocated, Money::from_stored(0));
    }

    #[test]
    fn an_over_payment_leaves_the_rest_as_credit() {
        let mut open = vec![invoice("inv_a", date!(2026 - 01 - 15), 12_000, 0)];
        let plan = allocate(Money::from_stored(15_000), None, &mut open);
        assert_eq!(plan.outcomes[0].amount, Money::from_stored(12_000));
        assert_eq!(plan.unallocated, Money::from_stored(3_000));
    }

    #[test]
    fn several_invoices_are_paid_oldest_due_first() {
        let mut open = vec![
            invoice("inv_a", date!(2026 - 01 - 15), 10_000, 0),
            invoice("inv_b", date!(2026 - 02 - 15), 10_000, 0),
            invoice("inv_c", date!(2026 - 03 - 15), 10_000, 0),
        ];
        let plan = allocate(Money::from_stored(15_000), None, &mut open);
        assert_eq!(
            summary(&plan),
            vec![
                ("inv_a".into(), 10_000, InvoiceStatus::Paid, 0),
                ("inv_b".into(), 5_000, InvoiceStatus::PartiallyPaid, 5_000),
            ]
        );
        assert_eq!(open[2].amount_paid, Money::from_stored(0));
    }

    #[test]
    fn the_given_invoice_is_paid_before_older_ones() {
        let mut open = vec![
            invoice("inv_a", date!(2026 - 01 - 15), 10_000, 0),
            invoice("inv_b", date!(2026 - 02 - 15), 10_000, 0),
        ];
        let plan = allocate(
            Money::from_stored(12_000),
            Some(&InvoiceId::from_stored("inv_b")),
            &mut open,
        );
        assert_eq!(
            summary(&plan),
            vec![
                ("inv_b".into(), 10_000, InvoiceStatus::Paid, 0),
                ("inv_a".into(), 2_000, InvoiceStatus::PartiallyPaid, 8_000),
            ]
        );
    }

    #[test]
    fn a_given_invoice_that_is_not_open_is_skipped() {
        let mut open = vec![invoice("inv_a", date!(2026 - 01 - 15), 10_000, 0)];
        let plan = allocate(
            Money::from_stored(3_000),
            Some(&InvoiceId::from_stored("inv_paid")),
            &mut open,
        );
        assert_eq!(plan.outcomes.len(), 1);
        assert_eq!(plan.outcomes[0].invoice_id, "inv_a");
    }

    #[test]
    fn nothing_open_means_everything_is_credit() {
        let plan = allocate(Money::from_stored(5_000), None, &mut []);
        assert!(plan.outcomes.is_empty());
        assert_eq!(plan.unallocated, Money::from_stored(5_000));
    }
}
