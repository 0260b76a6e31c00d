"""Background execution: runners, the progress bus, RQ entry points, callback delivery, the worker."""
