"""Analytics ingestion queues: accepted tracker hits are written in batches (a Redis stream, or in-process)."""
