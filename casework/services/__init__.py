"""Use cases. Each checks access, applies the change, audits it and flushes; none commits."""
