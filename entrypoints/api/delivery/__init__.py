"""Routes of the delivery context, one module per resource."""

from entrypoints.api.delivery import metrics, records, sources, syncs

routers = (sources.router, syncs.router, metrics.router, records.router)
