//! Readers (JSON array, NDJSON, ARG REST response, az CLI output, CSV) and writers.
