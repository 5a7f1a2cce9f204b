"""Annual reports: aggregation, disclosure control, the audit/ledger of what was released, and renderers."""
