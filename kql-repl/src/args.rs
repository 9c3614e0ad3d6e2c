//! The command line: flags and the `generate` subcommand (DESIGN.md §5; the flags are a contract).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// `kql`: run Kusto Query Language over Azure Resource Graph data, offline.
#[derive(Debug, Parser)]
#[command(
    name = "kql",
    version,
    about = "Run KQL (as Azure Resource Graph speaks it) over local data: REPL, scripts, one-shot queries",
    after_help = "Examples:\n  kql                                    REPL on the built-in demo data\n  kql --load securityresources=export.json -c 'securityresources | count'\n  kql --format csv report.kql > report.csv\n  kql generate --rows 10000 --seed 1 --table securityresources --format ndjson -o sr.ndjson",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Load a table from a data file (JSON array, NDJSON, ARG response, az CLI output, CSV;
    /// detected from the content). Repeatable.
    #[arg(long = "load", value_name = "NAME=PATH", value_parser = parse_name_value)]
    pub load: Vec<(String, String)>,

    /// Run one query, print the result and exit.
    #[arg(short = 'c', long = "command", value_name = "QUERY")]
    pub command: Option<String>,

    /// Script files to run: queries separated by blank lines, dot commands allowed. With no FILE
    /// and no -c, a script piped to stdin is run; on a terminal the REPL starts.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Replace `{NAME}` placeholders in queries with VALUE before parsing (workbook style).
    /// Repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_name_value)]
    pub params: Vec<(String, String)>,

    /// Parse and analyze only: report errors, run nothing (exit 0 when every query is fine).
    #[arg(long)]
    pub check: bool,

    /// Strict Azure Resource Graph mode: reject what ARG rejects (operators, join kinds,
    /// counts) and apply its mv-expand limits, with an error naming the rule.
    #[arg(long)]
    pub arg_strict: bool,

    /// Print load and query times (milliseconds) to stderr.
    #[arg(long)]
    pub timing: bool,

    /// Run each query N times (the result is printed once; with --timing every run is timed).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: u32,

    /// Keep running a script after a failed query (the exit code is still 1 at the end).
    #[arg(long)]
    pub continue_on_error: bool,

    /// Number of security rows in the built-in demo tenant (used when no --load is given;
    /// --check needs no rows and loads none).
    #[arg(long, value_name = "N", default_value_t = crate::demo::DEFAULT_ROWS)]
    pub demo_rows: usize,

    /// Load data files even when some rows are malformed: skip each bad row, load the rest and
    /// report on stderr how many rows were skipped and where (file:line:column and why).
    #[arg(long)]
    pub skip_bad_rows: bool,

    /// Fail a query whose result has more than N rows (default: no limit). An error, not a
    /// shorter table: `.maxrows` is what caps the rows a table shows.
    #[arg(long, value_name = "N")]
    pub max_rows: Option<usize>,

    /// Reject query text longer than N bytes (default: 4 MiB).
    #[arg(long, value_name = "N")]
    pub max_query_bytes: Option<usize>,

    /// Fail a query when one operator (range, join, mv-expand, union, summarize) would
    /// produce more than N rows, before building them (default: 50,000,000).
    #[arg(long, value_name = "N")]
    pub max_intermediate_rows: Option<usize>,

    /// Reject a regex that compiles to more than N bytes (default: 10 MiB).
    #[arg(long, value_name = "N")]
    pub max_regex_bytes: Option<usize>,

    /// Reject queries whose expressions and subqueries nest deeper than N levels (default and
    /// maximum: 256).
    #[arg(long, value_name = "N")]
    pub max_depth: Option<usize>,

    /// Subcommands.
    #[command(subcommand)]
    pub subcommand: Option<Command>,
}

impl Cli {
    /// The engine limits the flags ask for (defaults where a flag is not given).
    pub fn limits(&self) -> kql_core::Limits {
        let d = kql_core::Limits::default();
        kql_core::Limits {
            max_query_bytes: self.max_query_bytes.unwrap_or(d.max_query_bytes),
            max_result_rows: self.max_rows.or(d.max_result_rows),
            max_intermediate_rows: self
                .max_intermediate_rows
                .unwrap_or(d.max_intermediate_rows),
            max_regex_bytes: self.max_regex_bytes.unwrap_or(d.max_regex_bytes),
            max_depth: self.max_depth.unwrap_or(d.max_depth),
        }
    }
}

/// Subcommands of `kql`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a deterministic synthetic ARG data set to a file.
    Generate(GenerateArgs),
}

/// Arguments of `kql generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Size of the tenant, in `securityresources` rows (`resources` and `resourcecontainers`
    /// hold the machines, subscriptions and groups those rows are about).
    #[arg(long, value_name = "N")]
    pub rows: usize,

    /// Seed: the same seed and row count give the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,

    /// Which ARG table to generate.
    #[arg(long, value_enum, default_value_t = GenTable::Securityresources)]
    pub table: GenTable,

    /// File format.
    #[arg(long, value_enum, default_value_t = GenFormat::Ndjson)]
    pub format: GenFormat,

    /// Output file (`-` for stdout).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

/// Output formats of query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON array of objects.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated values with a header line.
    Csv,
    /// A Markdown table.
    Markdown,
}

impl Format {
    /// Parses a format name as `.format` takes it.
    pub fn from_name(name: &str) -> Option<Format> {
        <Format as ValueEnum>::from_str(name.trim(), true).ok()
    }

    /// The name as the flag spells it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }
}

/// Tables `kql generate` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenTable {
    /// `securityresources`: assessments, sub-assessments, secure scores, compliance.
    Securityresources,
    /// `resources`: the machines, containers and other resources assessed.
    Resources,
    /// `resourcecontainers`: subscriptions and resource groups.
    Resourcecontainers,
}

/// File formats `kql generate` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenFormat {
    /// One JSON object per line.
    Ndjson,
    /// One JSON array of objects.
    Json,
    /// The ARG REST response (`{"totalRecords":…,"data":[…]}`).
    ArgResponse,
    /// What `az graph query -o json` prints.
    AzCli,
    /// Comma-separated values (dynamic columns as JSON text).
    Csv,
}

/// Parses `NAME=VALUE` (the value may contain `=`; the name may not be empty).
pub fn parse_name_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn name_value_pairs() {
        assert_eq!(
            parse_name_value("sr=a=b.json"),
            Ok(("sr".to_string(), "a=b.json".to_string()))
        );
        assert_eq!(
            parse_name_value(" x =1"),
            Ok(("x".to_string(), "1".to_string()))
        );
        assert!(parse_name_value("=1").is_err());
        assert!(parse_name_value("novalue").is_err());
    }

    #[test]
    fn flags_parse() {
        let cli = Cli::try_parse_from([
            "kql",
            "--load",
            "t=a.json",
            "--load",
            "u=b.csv",
            "--format",
            "csv",
            "--param",
            "n=3",
            "--repeat",
            "2",
            "-c",
            "t | count",
        ])
        .unwrap();
        assert_eq!(cli.load.len(), 2);
        assert_eq!(cli.format, Format::Csv);
        assert_eq!(cli.params, vec![("n".to_string(), "3".to_string())]);
        assert_eq!(cli.repeat, 2);
        assert_eq!(cli.command.as_deref(), Some("t | count"));
        assert_eq!(cli.limits(), kql_core::Limits::default());
        assert!(!cli.skip_bad_rows);
        assert!(Cli::try_parse_from(["kql", "--repeat", "0"]).is_err());
        assert!(Cli::try_parse_from(["kql", "--format", "xml"]).is_err());
    }

    #[test]
    fn limit_flags_parse() {
        let cli = Cli::try_parse_from([
            "kql",
            "--skip-bad-rows",
            "--max-rows",
            "10",
            "--max-query-bytes",
            "100",
            "--max-intermediate-rows",
            "1000",
            "--max-regex-bytes",
            "5000",
            "--max-depth",
            "20",
        ])
        .unwrap();
        assert!(cli.skip_bad_rows);
        assert_eq!(
            cli.limits(),
            kql_core::Limits {
                max_query_bytes: 100,
                max_result_rows: Some(10),
                max_intermediate_rows: 1000,
                max_regex_bytes: 5000,
                max_depth: 20,
            }
        );
        assert!(Cli::try_parse_from(["kql", "--max-rows", "-1"]).is_err());
    }

    #[test]
    fn generate_subcommand() {
        let cli = Cli::try_parse_from([
            "kql",
            "generate",
            "--rows",
            "10",
            "--table",
            "resources",
            "--format",
            "arg-response",
            "-o",
            "x.json",
        ])
        .unwrap();
        match cli.subcommand {
            Some(Command::Generate(g)) => {
                assert_eq!(g.rows, 10);
                assert_eq!(g.table, GenTable::Resources);
                assert_eq!(g.format, GenFormat::ArgResponse);
            }
            None => panic!("no subcommand"),
        }
    }

    #[test]
    fn format_names() {
        assert_eq!(Format::from_name("JSON"), Some(Format::Json));
        assert_eq!(Format::from_name("markdown"), Some(Format::Markdown));
        assert_eq!(Format::from_name("xml"), None);
    }
}
