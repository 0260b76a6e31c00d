"""Media adapters: storage backends (local disk, S3-compatible) and the guarded HTTP image fetcher."""
