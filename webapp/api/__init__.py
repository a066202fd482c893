"""The cached JSON API."""
