//! The public entry point: an [`Engine`] holds the catalog and runs queries
//! (`parse` → `analyze` → `execute`).

use crate::error::{Error, ErrorKind, Result};
use crate::functions::Context;
use crate::io::{LoadOptions, LoadReport};
use crate::store::{Catalog, Field, Table};
use crate::value::Value;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Azure Resource Graph's tables (semantics reference §1.1). Every one exists in a new
/// engine, empty, with the standard ARG columns, so any real ARG query analyzes and runs.
pub const ARG_TABLES: &[&str] = &[
    "Resources",
    "SecurityResources",
    "ResourceContainers",
    "AdvisorResources",
    "AlertsManagementResources",
    "AppServiceResources",
    "AuthorizationResources",
    "AWSResources",
    "AzureBusinessContinuityResources",
    "ChaosResources",
    "CommunityGalleryResources",
    "ComputeResources",
    "DesktopVirtualizationResources",
    "DnsResources",
    "EdgeOrderResources",
    "ElasticsanResources",
    "ExtendedLocationResources",
    "FeatureResources",
    "GuestConfigurationResources",
    "HealthResourceChanges",
    "HealthResources",
    "InsightsResources",
    "IoTSecurityResources",
    "KubernetesConfigurationResources",
    "KustoResources",
    "MaintenanceResources",
    "ManagedServicesResources",
    "MigrateResources",
    "NetworkResources",
    "OrbitalResources",
    "PatchAssessmentResources",
    "PatchInstallationResources",
    "PolicyResources",
    "RecoveryServicesResources",
    "ResourceChanges",
    "ResourceContainerChanges",
    "ServiceFabricResources",
    "ServiceHealthResources",
    "SpotResources",
    "SupportResources",
    "TagsResources",
    "WorkloadMonitorResources",
    // Not on the language page's list, but queried by Microsoft's own workbooks.
    "CdnResources",
    "ExtensibilityResources",
    "QuotaResources",
];

/// The standard columns of an ARG row (semantics reference §1.2).
pub fn arg_fields() -> Vec<Field> {
    use crate::types::DataType::{Dynamic, String};
    [
        ("id", String),
        ("name", String),
        ("type", String),
        ("tenantId", String),
        ("kind", String),
        ("location", String),
        ("resourceGroup", String),
        ("subscriptionId", String),
        ("managedBy", String),
        ("sku", Dynamic),
        ("plan", Dynamic),
        ("properties", Dynamic),
        ("tags", Dynamic),
        ("identity", Dynamic),
        ("zones", Dynamic),
        ("extendedLocation", Dynamic),
        // The resource provider API version ARG read the resource with: Microsoft's
        // "Advanced Resource Graph query samples" page lists
        // `Resources | distinct type, apiVersion | where isnotnull(apiVersion)`.
        ("apiVersion", String),
    ]
    .into_iter()
    .map(|(n, t)| Field::new(n, t))
    .collect()
}

/// How an [`Engine`] runs queries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Strict ARG mode: reject what Azure Resource Graph rejects and apply its limits
    /// (see [`crate::strict`]). Off by default: plain Kusto semantics.
    pub arg_strict: bool,
    /// Limits on what one query may ask: text length, result rows, intermediate rows, regex
    /// size, nesting depth (see [`crate::limits`]).
    pub limits: crate::limits::Limits,
}

/// Runs KQL queries over loaded tables.
#[derive(Debug, Clone)]
pub struct Engine {
    catalog: Catalog,
    now: Option<i64>,
    options: Options,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

impl Engine {
    /// An engine whose catalog holds every ARG table, empty.
    pub fn new() -> Engine {
        let mut catalog = Catalog::new();
        for name in ARG_TABLES {
            catalog.insert(name, Table::empty(arg_fields()));
        }
        Engine {
            catalog,
            now: None,
            options: Options::default(),
        }
    }

    /// An engine with `options`.
    pub fn with_options(options: Options) -> Engine {
        Engine {
            options,
            ..Engine::new()
        }
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Changes the options.
    pub fn set_options(&mut self, options: Options) {
        self.options = options;
    }

    /// Fails when `query` is longer than [`crate::Limits::max_query_bytes`].
    fn check_length(&self, query: &str) -> Result<()> {
        let max = self.options.limits.max_query_bytes;
        if query.len() > max {
            return Err(crate::limits::limit_error(
                &format!(
                    "the query is {} bytes long, more than the {max} allowed",
                    query.len()
                ),
                "max_query_bytes",
                "max-query-bytes",
            ));
        }
        Ok(())
    }

    /// Parses, checks strict-mode rules when on, and analyzes.
    fn plan(&self, query: &str, ctx: &Context) -> Result<crate::plan::Plan> {
        self.check_length(query)?;
        let ast = crate::syntax::parse(query)?;
        if self.options.arg_strict {
            crate::strict::check(&ast)?;
        }
        crate::analyze::analyze(&ast, &self.catalog, ctx, &self.options)
    }

    /// The tables.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Adds or replaces a table (names are case-insensitive). An ARG table gets the ARG
    /// columns its data lacks, empty (semantics reference §1.2: missing string columns are
    /// `""`, missing dynamic ones null), so queries over partial exports still see the schema.
    pub fn add_table(&mut self, name: &str, table: Table) {
        let table = if ARG_TABLES.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            table.with_missing(&arg_fields())
        } else {
            table
        };
        self.catalog.insert(name, table);
    }

    /// Loads a data file as table `name`; the format is detected from the content.
    /// Returns the number of rows loaded.
    pub fn load_file(&mut self, name: &str, path: impl AsRef<Path>) -> Result<usize> {
        let table = crate::io::read_file(path.as_ref())?;
        let rows = table.num_rows();
        self.add_table(name, table);
        Ok(rows)
    }

    /// Loads data held in memory; `source_name` names it in errors.
    pub fn load_str(&mut self, name: &str, source_name: &str, text: &str) -> Result<usize> {
        let table = crate::io::read_str(source_name, text)?;
        let rows = table.num_rows();
        self.add_table(name, table);
        Ok(rows)
    }

    /// Loads a data file as table `name` with `options`; the report says how many rows were
    /// loaded and, with [`LoadOptions::skip_bad_rows`], how many were skipped and where (what
    /// a bad row is in each format: [`crate::io::report`]). On an error no table is added.
    ///
    /// ```
    /// use kql_core::{io::LoadOptions, Engine};
    /// let path = std::env::temp_dir().join(format!("kql-doc-{}.ndjson", std::process::id()));
    /// std::fs::write(&path, "{\"n\": 1}\n{\"n\": 2,}\n{\"n\": 3}\n").unwrap();
    /// let mut engine = Engine::new();
    /// let skip = LoadOptions { skip_bad_rows: true, ..LoadOptions::default() };
    /// let report = engine.load_file_with("t", &path, &skip)?;
    /// assert_eq!((report.rows, report.skipped), (2, 1));
    /// assert_eq!((report.bad_rows[0].line, report.bad_rows[0].column), (2, 9));
    /// assert_eq!(report.bad_rows[0].reason, "trailing comma");
    /// assert_eq!(engine.query("t | summarize sum(n)")?.to_json(), r#"[{"sum_n":4}]"#);
    /// // Without skipping the load fails and `t` keeps its rows.
    /// assert!(engine.load_file_with("t", &path, &LoadOptions::default()).is_err());
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok::<(), kql_core::Error>(())
    /// ```
    pub fn load_file_with(
        &mut self,
        name: &str,
        path: impl AsRef<Path>,
        options: &LoadOptions,
    ) -> Result<LoadReport> {
        let (table, report) = crate::io::read_file_with(path.as_ref(), options)?;
        self.add_table(name, table);
        Ok(report)
    }

    /// [`Engine::load_file_with`] for data held in memory; `source_name` names it in the report
    /// and in errors.
    pub fn load_str_with(
        &mut self,
        name: &str,
        source_name: &str,
        text: &str,
        options: &LoadOptions,
    ) -> Result<LoadReport> {
        let (table, report) = crate::io::read_str_with(source_name, text, options)?;
        self.add_table(name, table);
        Ok(report)
    }

    /// Pins `now()` (ticks since 0001-01-01) for reproducible queries; by default the clock.
    pub fn set_now(&mut self, ticks: Option<i64>) {
        self.now = ticks;
    }

    fn context(&self) -> Context {
        let now = self.now.unwrap_or_else(|| {
            let since_epoch = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() / 100);
            crate::functions::datetime::UNIX_EPOCH_TICKS + since_epoch as i64
        });
        Context::new(now).with_limits(self.options.limits)
    }

    /// Parses and analyzes `query` without running it; returns the result schema.
    pub fn check(&self, query: &str) -> Result<Vec<Field>> {
        on_large_stack(|| {
            let ctx = self.context();
            let plan = self.plan(query, &ctx)?;
            // Constant folding may have met a limit (a literal regex too big to compile).
            match ctx.take_failure() {
                Some(e) => Err(e),
                None => Ok(plan.fields),
            }
        })
    }

    /// Lint warnings for `query`: ARG gotchas that make a valid query silently return nothing.
    pub fn lint(&self, query: &str) -> Result<Vec<crate::lint::Warning>> {
        self.check_length(query)?;
        Ok(crate::lint::lint(&crate::syntax::parse(query)?))
    }

    /// The plan of `query`, readable (for `.explain`).
    pub fn explain(&self, query: &str) -> Result<String> {
        Ok(crate::plan::explain::explain(
            &self.plan(query, &self.context())?,
        ))
    }

    /// Runs `query`.
    pub fn query(&self, query: &str) -> Result<QueryResult> {
        self.query_with_cancel(query, None)
    }

    /// Runs `query`, stopping with [`ErrorKind::Cancelled`] soon after `cancel` is set.
    pub fn query_with_cancel(
        &self,
        query: &str,
        cancel: Option<Arc<AtomicBool>>,
    ) -> Result<QueryResult> {
        let table = on_large_stack(|| {
            let mut ctx = self.context();
            if let Some(flag) = cancel {
                ctx = ctx.with_cancel(flag);
            }
            let plan = self.plan(query, &ctx)?;
            let table = crate::exec::execute(&plan, &ctx)?;
            // Kusto's rule (learn.microsoft.com/azure/kusto/concepts/querylimits, "Limit on
            // result set size"): a result over the record count limit fails the query
            // (E_QUERY_RESULT_SET_TOO_LARGE) rather than coming back truncated. We do the same
            // when a limit is set; by default there is none (see `Limits::max_result_rows`).
            match self.options.limits.max_result_rows {
                Some(max) if table.num_rows() > max => Err(crate::limits::limit_error_or(
                    &format!(
                        "the result has {} rows, more than the {max} allowed",
                        table.num_rows()
                    ),
                    "max_result_rows",
                    "max-rows",
                    &format!("end the query with `| take {max}`"),
                )),
                _ => Ok(table),
            }
        })
        .map_err(|e| match e.kind {
            ErrorKind::Internal => {
                Error::internal(format!("{} (please report this bug)", e.message))
            }
            _ => e,
        })?;
        Ok(QueryResult { table })
    }
}

/// Stack for analysis and execution. Plans are trees walked recursively, one level per
/// operator or nested expression; the parser and analyzer cap the depth, and this stack holds
/// the deepest plan they allow even in an unoptimized build. Only touched pages are committed.
const QUERY_STACK: usize = 512 << 20;

/// Runs `work` on a thread with [`QUERY_STACK`] of stack. A panic there (a bug) comes back as
/// an internal error instead of taking the host down.
fn on_large_stack<T: Send>(work: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("kql-query".into())
            .stack_size(QUERY_STACK)
            .spawn_scoped(scope, work)
        {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(Error::internal(
                    "the query panicked (please report this bug)",
                ))
            }),
            Err(_) => Err(Error::new(
                ErrorKind::Limit,
                "could not start a thread to run the query",
            )),
        }
    })
}

/// The table a query returned.
#[derive(Debug, Clone)]
pub struct QueryResult {
    table: Table,
}

impl QueryResult {
    /// The result columns.
    pub fn fields(&self) -> &[Field] {
        self.table.fields()
    }

    /// The result as a table.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// Number of rows.
    pub fn num_rows(&self) -> usize {
        self.table.num_rows()
    }

    /// The rows, each a vector of values in column order.
    pub fn rows(&self) -> impl Iterator<Item = Vec<Value>> + '_ {
        (0..self.table.num_rows()).map(move |r| {
            (0..self.table.num_columns())
                .map(|c| self.table.value(r, c))
                .collect()
        })
    }

    /// The result as one JSON array of objects (the `--format json` contract).
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        if crate::io::write_json(&self.table, &mut out).is_err() {
            return String::new();
        }
        let mut text = String::from_utf8(out).unwrap_or_default();
        text.truncate(text.trim_end().len());
        text
    }
}
