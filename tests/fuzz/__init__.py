"""Schemathesis over every REST surface's OpenAPI document and over the GraphQL schema, bounded and seeded."""
