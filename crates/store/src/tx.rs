//! One transaction: `SqlTx`, its commit, and the helpers every area's SQL shares. Each area implements its
//! `core::store` trait for `SqlTx` in a file of its own (`clients.rs`, `kpis.rs`, …); every statement that touches
//! agency data names the agency in its WHERE clause.

use crate::error::{db, store_error};
use accountable_core::error::{Error, Result, StoreError};
use accountable_core::id::{AgencyId, ClientId};
use accountable_core::record::RecordKind;
use accountable_core::store::Tx;
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Transaction};

/// A transaction on the pool; dropped without `commit`, it rolls back.
pub struct SqlTx {
    pub(crate) tx: Conn,
    pub(crate) backend: crate::Backend,
    pub(crate) documents_dir: Option<std::sync::Arc<std::path::PathBuf>>,
}

/// A transaction, or a plain pooled connection for reads.
pub(crate) enum Conn {
    Tx(Transaction<'static, Any>),
    Plain(PoolConnection<Any>),
}

impl std::ops::Deref for Conn {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match self {
            Conn::Tx(t) => t,
            Conn::Plain(c) => c,
        }
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Conn::Tx(t) => t,
            Conn::Plain(c) => c,
        }
    }
}

impl SqlTx {
    pub(crate) fn new(
        tx: Transaction<'static, Any>,
        backend: crate::Backend,
        documents_dir: Option<std::sync::Arc<std::path::PathBuf>>,
    ) -> Self {
        SqlTx {
            tx: Conn::Tx(tx),
            backend,
            documents_dir,
        }
    }

    pub(crate) fn plain(
        conn: PoolConnection<Any>,
        backend: crate::Backend,
        documents_dir: Option<std::sync::Arc<std::path::PathBuf>>,
    ) -> Self {
        SqlTx {
            tx: Conn::Plain(conn),
            backend,
            documents_dir,
        }
    }
}

/// `Ok` when a statement changed one row, `NotFound` when it changed none (the record is another agency's or gone).
pub(crate) fn exactly_one(rows: u64, entity: RecordKind) -> Result<()> {
    if rows == 0 { Err(not_found(entity)) } else { Ok(()) }
}

/// A statement with its values bound so far.
pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>;

/// The record a statement found, read by `map`, or `NotFound` when it found none (another agency's, or gone).
pub(crate) fn one_or_not_found<T>(
    row: Option<AnyRow>,
    map: fn(&AnyRow) -> Result<T>,
    entity: RecordKind,
) -> Result<T> {
    row.as_ref().map(map).unwrap_or(Err(not_found(entity)))
}

/// A table whose records belong to one client of an agency, for [`SqlTx::get_scoped`].
pub(crate) struct ClientTable {
    /// The table's name.
    pub name: &'static str,
    /// The columns its row mapping reads.
    pub columns: &'static str,
    /// The column that names the record's client (`id` for the clients table itself).
    pub client_column: &'static str,
    /// What "not found" names.
    pub entity: RecordKind,
}

impl SqlTx {
    /// One record of the agency by id, within the client scope: a client contact (`scope`) finds only their own
    /// client's records; anything else is `NotFound`, never "forbidden".
    pub(crate) async fn get_scoped<T>(
        &mut self,
        table: &ClientTable,
        agency: AgencyId,
        scope: Option<ClientId>,
        id: i64,
        map: fn(&AnyRow) -> Result<T>,
    ) -> Result<T> {
        let mut sql = format!(
            "SELECT {} FROM {} WHERE agency_id = $1 AND id = $2",
            table.columns, table.name
        );
        if scope.is_some() {
            sql.push_str(&format!(" AND {} = $3", table.client_column));
        }
        let mut query = sqlx::query(&sql).bind(agency.0).bind(id);
        if let Some(s) = scope {
            query = query.bind(s.0);
        }
        let row = query.fetch_optional(&mut *self.tx).await.map_err(db)?;
        one_or_not_found(row, map, table.entity)
    }

    /// The error of an INSERT or UPDATE of `table` whose row names the records `references` (its column, the
    /// table it names, the id). PostgreSQL names a foreign key that refuses the write; SQLite does not, so there
    /// the first reference whose record is missing gives the name PostgreSQL would report
    /// (`<table>_<column>_fkey`), and the same field error follows on both databases.
    pub(crate) async fn refused_write(
        &mut self,
        e: sqlx::Error,
        table: &str,
        references: &[(&str, &str, Option<i64>)],
    ) -> Error {
        let error = store_error(e);
        if self.backend == crate::Backend::Sqlite
            && let StoreError::ForeignKey {
                constraint: None,
                still_referenced: false,
            } = &error
        {
            for (column, named, id) in references {
                let Some(id) = id else { continue };
                let found = sqlx::query(&format!("SELECT 1 FROM {named} WHERE id = $1"))
                    .bind(*id)
                    .fetch_optional(&mut *self.tx)
                    .await;
                if let Ok(None) = found {
                    return Error::from(StoreError::ForeignKey {
                        constraint: Some(format!("{table}_{column}_fkey")),
                        still_referenced: false,
                    });
                }
            }
        }
        Error::from(error)
    }

    /// Every record of one client of the agency, in the order `order_by` gives (an SQL `ORDER BY` list).
    pub(crate) async fn list_of_client<T>(
        &mut self,
        table: &ClientTable,
        agency: AgencyId,
        client: ClientId,
        order_by: &str,
        map: fn(&AnyRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE agency_id = $1 AND {} = $2 ORDER BY {order_by}",
            table.columns, table.name, table.client_column
        );
        let rows = sqlx::query(&sql)
            .bind(agency.0)
            .bind(client.0)
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db)?;
        rows.iter().map(map).collect()
    }
}

/// `NotFound` for a record of this kind.
pub(crate) fn not_found(entity: RecordKind) -> Error {
    Error::NotFound { entity }
}

#[async_trait]
impl Tx for SqlTx {
    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        match self.tx {
            Conn::Tx(t) => t.commit().await.map_err(store_error),
            Conn::Plain(_) => Ok(()),
        }
    }
}
