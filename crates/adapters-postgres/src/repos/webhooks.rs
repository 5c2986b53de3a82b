//! `WebhookRepository` on PostgreSQL.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Int8, Timestamptz};
use domain::error::{Error, Resource, Result};
use domain::events::EventCursor;
use domain::page::PageRequest;
use domain::typed_ids::{WebhookDeliveryId, WebhookEndpointId};
use domain::webhooks::{
    AttemptRecord, ClaimedDelivery, Delivery, DeliveryStatus, NewDelivery, NewEndpoint,
    WebhookEndpoint, WebhookRepository,
};
use time::OffsetDateTime;

use crate::errors::storage;
use crate::rows::webhook::{
    AttemptRow, ClaimedRow, DeliveryRow, EndpointRow, NewDeliveryRow, NewEndpointRow,
};
use crate::schema::{
    webhook_attempts, webhook_deliveries, webhook_dispatch_cursor, webhook_endpoints,
};
use crate::tx::PgTx;

/// Rows per multi-row insert: 10 parameters each, well under PostgreSQL's 65,535.
const INSERT_CHUNK: usize = 1_000;

/// Due pending deliveries of enabled endpoints, oldest first, locked without waiting for
/// rows another worker holds; the attempt is counted and the due time becomes the lease, in
/// the same statement, so a claim commits as one step.
const CLAIM_SQL: &str = "
WITH due AS (
    SELECT d.id
    FROM webhook_deliveries d
    JOIN webhook_endpoints e ON e.id = d.endpoint_id
    WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND e.enabled
    ORDER BY d.next_attempt_at
    LIMIT $3
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE webhook_deliveries d
SET attempt_count = d.attempt_count + 1, next_attempt_at = $2, updated_at = $1
FROM due, webhook_endpoints e
WHERE d.id = due.id AND e.id = d.endpoint_id
RETURNING d.id, d.endpoint_id, d.event_id, d.attempt_count, d.payload, e.url,
    CASE WHEN e.previous_secret_sealed IS NOT NULL AND e.previous_secret_until > $1
         THEN ARRAY[e.secret_sealed, e.previous_secret_sealed]
         ELSE ARRAY[e.secret_sealed] END AS secrets";

impl PgTx<'_> {
    fn attempts_of(&mut self, ids: &[String]) -> Result<HashMap<String, Vec<AttemptRow>>> {
        let rows: Vec<AttemptRow> = webhook_attempts::table
            .filter(webhook_attempts::delivery_id.eq_any(ids))
            .order((webhook_attempts::delivery_id, webhook_attempts::attempt))
            .select(AttemptRow::as_select())
            .load(self.conn)
            .map_err(storage)?;
        let mut by_delivery: HashMap<String, Vec<AttemptRow>> = HashMap::new();
        for row in rows {
            by_delivery
                .entry(row.delivery_id.clone())
                .or_default()
                .push(row);
        }
        Ok(by_delivery)
    }

    fn with_attempts(&mut self, rows: Vec<DeliveryRow>) -> Result<Vec<Delivery>> {
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut attempts = self.attempts_of(&ids)?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let mine = attempts.remove(&row.id).unwrap_or_default();
                row.into_domain(mine.into_iter().map(AttemptRow::into_domain).collect())
            })
            .collect())
    }
}

impl WebhookRepository for PgTx<'_> {
    fn insert_endpoint(&mut self, endpoint: &NewEndpoint) -> Result<()> {
        diesel::insert_into(webhook_endpoints::table)
            .values(NewEndpointRow::from_domain(endpoint))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn find_endpoint(&mut self, id: &WebhookEndpointId) -> Result<Option<WebhookEndpoint>> {
        Ok(webhook_endpoints::table
            .find(id.as_str())
            .select(EndpointRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(EndpointRow::into_domain))
    }

    fn list_endpoints(&mut self, page: &PageRequest) -> Result<Vec<WebhookEndpoint>> {
        let mut query = webhook_endpoints::table
            .select(EndpointRow::as_select())
            .order(webhook_endpoints::id)
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .into_boxed();
        if let Some(after) = page.after() {
            query = query.filter(webhook_endpoints::id.gt(after.to_owned()));
        }
        Ok(query
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(EndpointRow::into_domain)
            .collect())
    }

    fn delete_endpoint(&mut self, id: &WebhookEndpointId) -> Result<()> {
        let deleted = diesel::delete(webhook_endpoints::table.find(id.as_str()))
            .execute(self.conn)
            .map_err(storage)?;
        if deleted == 0 {
            return Err(Error::NotFound(Resource::WebhookEndpoint));
        }
        Ok(())
    }

    fn lock_secret(&mut self, id: &WebhookEndpointId) -> Result<Vec<u8>> {
        webhook_endpoints::table
            .find(id.as_str())
            .select(webhook_endpoints::secret_sealed)
            .for_update()
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .ok_or(Error::NotFound(Resource::WebhookEndpoint))
    }

    fn replace_secret(
        &mut self,
        id: &WebhookEndpointId,
        sealed: &[u8],
        previous: &[u8],
        previous_until: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<()> {
        let updated = diesel::update(webhook_endpoints::table.find(id.as_str()))
            .set((
                webhook_endpoints::secret_sealed.eq(sealed),
                webhook_endpoints::previous_secret_sealed.eq(Some(previous)),
                webhook_endpoints::previous_secret_until.eq(Some(previous_until)),
                webhook_endpoints::updated_at.eq(now),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        if updated == 0 {
            return Err(Error::NotFound(Resource::WebhookEndpoint));
        }
        Ok(())
    }

    fn lock_dispatch_cursor(&mut self) -> Result<Option<EventCursor>> {
        let stored: Option<String> = webhook_dispatch_cursor::table
            .select(webhook_dispatch_cursor::position)
            .for_update()
            .first(self.conn)
            .map_err(storage)?;
        stored
            .map(|text| {
                EventCursor::parse(&text).map_err(|e| {
                    Error::Storage(format!(
                        "webhook_dispatch_cursor: stored value invalid: {e}"
                    ))
                })
            })
            .transpose()
    }

    fn save_dispatch_cursor(&mut self, cursor: &EventCursor) -> Result<()> {
        diesel::update(webhook_dispatch_cursor::table)
            .set(webhook_dispatch_cursor::position.eq(Some(cursor.to_string())))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn enabled_endpoints(&mut self) -> Result<Vec<WebhookEndpoint>> {
        Ok(webhook_endpoints::table
            .filter(webhook_endpoints::enabled)
            .order(webhook_endpoints::id)
            .select(EndpointRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(EndpointRow::into_domain)
            .collect())
    }

    fn insert_deliveries(&mut self, deliveries: &[NewDelivery]) -> Result<()> {
        for chunk in deliveries.chunks(INSERT_CHUNK) {
            let rows: Vec<NewDeliveryRow> = chunk.iter().map(NewDeliveryRow::from_domain).collect();
            diesel::insert_into(webhook_deliveries::table)
                .values(&rows)
                .on_conflict((
                    webhook_deliveries::endpoint_id,
                    webhook_deliveries::event_id,
                ))
                .do_nothing()
                .execute(self.conn)
                .map_err(storage)?;
        }
        Ok(())
    }

    fn claim_due(
        &mut self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<ClaimedDelivery>> {
        let rows: Vec<ClaimedRow> = diesel::sql_query(CLAIM_SQL)
            .bind::<Timestamptz, _>(now)
            .bind::<Timestamptz, _>(lease_until)
            .bind::<Int8, _>(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(self.conn)
            .map_err(storage)?;
        Ok(rows.into_iter().map(ClaimedRow::into_domain).collect())
    }

    fn record_attempt(&mut self, record: &AttemptRecord, now: OffsetDateTime) -> Result<bool> {
        let next = match record.status {
            DeliveryStatus::Pending => record.attempt.next_retry_at,
            DeliveryStatus::Succeeded | DeliveryStatus::Failed => None,
        };
        let updated = diesel::update(
            webhook_deliveries::table
                .find(record.delivery_id.as_str())
                .filter(webhook_deliveries::attempt_count.eq(record.attempt.number))
                .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str())),
        )
        .set((
            webhook_deliveries::status.eq(record.status.as_str()),
            webhook_deliveries::next_attempt_at.eq(next),
            webhook_deliveries::updated_at.eq(now),
        ))
        .execute(self.conn)
        .map_err(storage)?;
        if updated == 0 {
            return Ok(false);
        }
        diesel::insert_into(webhook_attempts::table)
            .values(AttemptRow::from_domain(
                &record.delivery_id,
                &record.attempt,
            ))
            .on_conflict_do_nothing()
            .execute(self.conn)
            .map_err(storage)?;
        Ok(true)
    }

    fn endpoint_succeeded(&mut self, id: &WebhookEndpointId, now: OffsetDateTime) -> Result<()> {
        // Only a failing endpoint is written: a healthy one's row stays untouched on the
        // hot path.
        diesel::update(
            webhook_endpoints::table
                .find(id.as_str())
                .filter(webhook_endpoints::failing_since.is_not_null()),
        )
        .set((
            webhook_endpoints::failing_since.eq(None::<OffsetDateTime>),
            webhook_endpoints::updated_at.eq(now),
        ))
        .execute(self.conn)
        .map_err(storage)?;
        Ok(())
    }

    fn endpoint_failed(
        &mut self,
        id: &WebhookEndpointId,
        now: OffsetDateTime,
    ) -> Result<OffsetDateTime> {
        let since: Option<Option<OffsetDateTime>> =
            diesel::update(webhook_endpoints::table.find(id.as_str()))
                .set(
                    webhook_endpoints::failing_since.eq(diesel::dsl::sql::<
                        diesel::sql_types::Nullable<Timestamptz>,
                    >(
                        "coalesce(failing_since, "
                    )
                    .bind::<Timestamptz, _>(now)
                    .sql(")")),
                )
                .returning(webhook_endpoints::failing_since)
                .get_result(self.conn)
                .optional()
                .map_err(storage)?;
        Ok(since.flatten().unwrap_or(now))
    }

    fn disable_endpoint(&mut self, id: &WebhookEndpointId, now: OffsetDateTime) -> Result<()> {
        diesel::update(webhook_endpoints::table.find(id.as_str()))
            .set((
                webhook_endpoints::enabled.eq(false),
                webhook_endpoints::disabled_at.eq(Some(now)),
                webhook_endpoints::updated_at.eq(now),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn list_deliveries(
        &mut self,
        endpoint: &WebhookEndpointId,
        page: &PageRequest,
    ) -> Result<Vec<Delivery>> {
        let mut query = webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq(endpoint.as_str().to_owned()))
            .select(DeliveryRow::as_select())
            .order(webhook_deliveries::id)
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .into_boxed();
        if let Some(after) = page.after() {
            query = query.filter(webhook_deliveries::id.gt(after.to_owned()));
        }
        let rows = query.load(self.conn).map_err(storage)?;
        self.with_attempts(rows)
    }

    fn lock_delivery(&mut self, id: &WebhookDeliveryId) -> Result<Option<Delivery>> {
        let row: Option<DeliveryRow> = webhook_deliveries::table
            .find(id.as_str())
            .select(DeliveryRow::as_select())
            .for_update()
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        Ok(self.with_attempts(row.into_iter().collect())?.pop())
    }

    fn schedule_now(&mut self, id: &WebhookDeliveryId, now: OffsetDateTime) -> Result<()> {
        diesel::update(webhook_deliveries::table.find(id.as_str()))
            .set((
                webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str()),
                webhook_deliveries::next_attempt_at.eq(Some(now)),
                webhook_deliveries::updated_at.eq(now),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }
}
