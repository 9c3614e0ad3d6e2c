//! Readers (JSON array, NDJSON, ARG REST response, az CLI output, CSV) and writers.
//! (Placeholder until the readers land.)

use crate::error::{Error, ErrorKind, Result};
use crate::store::Table;
use std::path::Path;

/// Reads a data file; the format is detected from the content.
pub fn read_file(path: &Path) -> Result<Table> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())))?;
    read_str(&path.display().to_string(), &text)
}

/// Reads data held in memory.
pub fn read_str(source_name: &str, _text: &str) -> Result<Table> {
    Err(Error::new(ErrorKind::Data, format!("{source_name}: loaders not built yet")))
}

/// Writes a table as one JSON array of objects.
pub fn write_json(_table: &Table, _out: &mut impl std::io::Write) -> std::io::Result<()> {
    Ok(())
}
