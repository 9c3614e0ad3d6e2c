//! `kql generate`: writes a deterministic synthetic ARG data set through kql-datasets'
//! streaming writer (constant memory, the same bytes for the same seed and size).

use crate::args::{GenFormat, GenTable, GenerateArgs};
use kql_datasets::{OutputFormat, TableKind, TenantConfig};
use std::io::{BufWriter, Write};

/// Runs `kql generate`; returns the exit code (0 ok, 2 the file could not be written).
///
/// `--rows` sizes the tenant by its `securityresources` rows; `resources` and
/// `resourcecontainers` hold the resources, subscriptions and groups those rows are about.
pub fn run(args: &GenerateArgs) -> i32 {
    let config = TenantConfig::new(args.seed, args.rows);
    let table = table_kind(args.table);
    let format = output_format(args.format);
    let target = args.output.display().to_string();
    let written = if target == "-" {
        let stdout = std::io::stdout();
        write(&config, table, format, &mut stdout.lock())
    } else {
        match std::fs::File::create(&args.output) {
            Ok(file) => write(&config, table, format, &mut BufWriter::new(file)),
            Err(e) => Err(e),
        }
    };
    match written {
        Ok(rows) => {
            eprintln!("wrote {rows} {} rows to {target}", table.name());
            0
        }
        // `kql generate -o - | head`: the reader has seen enough.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("kql generate: cannot write {target}: {e}");
            2
        }
    }
}

fn write(
    config: &TenantConfig,
    table: TableKind,
    format: OutputFormat,
    out: &mut impl Write,
) -> std::io::Result<u64> {
    let rows = kql_datasets::write(config, table, format, out)?;
    out.flush()?;
    Ok(rows)
}

fn table_kind(table: GenTable) -> TableKind {
    match table {
        GenTable::Securityresources => TableKind::SecurityResources,
        GenTable::Resources => TableKind::Resources,
        GenTable::Resourcecontainers => TableKind::ResourceContainers,
    }
}

fn output_format(format: GenFormat) -> OutputFormat {
    match format {
        GenFormat::Ndjson => OutputFormat::Ndjson,
        GenFormat::Json => OutputFormat::Json,
        GenFormat::ArgResponse => OutputFormat::ArgResponse,
        GenFormat::AzCli => OutputFormat::AzCli,
        GenFormat::Csv => OutputFormat::Csv,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn flag_names_match_the_generator_names() {
        for f in GenFormat::value_variants() {
            let name = f.to_possible_value().map(|v| v.get_name().to_string());
            assert_eq!(name.as_deref(), Some(output_format(*f).name()));
        }
        for t in GenTable::value_variants() {
            let name = t.to_possible_value().map(|v| v.get_name().to_string());
            assert_eq!(name.as_deref(), Some(table_kind(*t).name()));
        }
    }
}
