"""Product classification in the GPC and Google product taxonomies (see docs/content-classification.md)."""
