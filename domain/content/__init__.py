"""Content services: saved content configurations, generation requests, the pipeline, feedback."""
