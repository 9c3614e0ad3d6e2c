//! kql-datasets: a deterministic generator of Azure Resource Graph security data.
