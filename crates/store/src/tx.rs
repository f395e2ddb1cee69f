//! One transaction: `SqlTx`, its commit, and the helpers every area's SQL shares. Each area implements its
//! `core::store` trait for `SqlTx` in a file of its own (`clients.rs`, `kpis.rs`, …); every statement that touches
//! agency data names the agency in its WHERE clause.

use crate::error::store_error;
use accountable_core::error::{Error, Result, StoreError};
use accountable_core::store::Tx;
use async_trait::async_trait;
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
pub(crate) fn exactly_one(rows: u64, entity: &'static str) -> Result<()> {
    if rows == 0 { Err(not_found(entity)) } else { Ok(()) }
}

pub(crate) fn not_found(entity: &'static str) -> Error {
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
