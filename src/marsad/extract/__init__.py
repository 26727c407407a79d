"""Per-article extractors, each a pipeline component (see marsad.pipeline)."""
