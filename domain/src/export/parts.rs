//! The ZIP leaves the builder through a [`Sink`] and reaches the database in sealed parts of
//! [`PART`] bytes, so a build never holds more than about one part in memory and no plain copy
//! touches a disk. Parts of a build that did not finish are invisible (the export is not ready)
//! and deleted when the build starts again.

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::{Portal, Result};

pub const PART: usize = 1 << 20;

/// The writer the ZIP goes to: a buffer shared with [`Uploader`].
#[derive(Clone, Default)]
pub struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("sink poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn context(export_id: i64, seq: i64) -> String {
    format!("export:{export_id}:{seq}")
}

pub struct Uploader {
    sink: Sink,
    export_id: i64,
    next_seq: i64,
    pub bytes: i64,
}

impl Uploader {
    /// Starts over: whatever an earlier, cut-off build stored is deleted.
    pub async fn start(portal: &Portal, export_id: i64, sink: Sink) -> Result<Uploader> {
        sqlx::query("DELETE FROM export_parts WHERE export_id = $1").bind(export_id).execute(portal.store.pool()).await?;
        Ok(Uploader { sink, export_id, next_seq: 0, bytes: 0 })
    }

    /// Stores every whole part written so far; with `all`, the rest too.
    pub async fn flush(&mut self, portal: &Portal, all: bool) -> Result<()> {
        loop {
            let chunk: Vec<u8> = {
                let mut buf = self.sink.0.lock().map_err(|_| crate::Error::Internal("export sink"))?;
                if buf.len() >= PART {
                    buf.drain(..PART).collect()
                } else if all && !buf.is_empty() {
                    std::mem::take(&mut *buf)
                } else {
                    return Ok(());
                }
            };
            let sealed = portal.keys.seal(&context(self.export_id, self.next_seq), &chunk)?;
            sqlx::query("INSERT INTO export_parts (export_id, seq, data) VALUES ($1, $2, $3)")
                .bind(self.export_id)
                .bind(self.next_seq)
                .bind(sealed)
                .execute(portal.store.pool())
                .await?;
            self.next_seq += 1;
            self.bytes += chunk.len() as i64;
        }
    }
}
