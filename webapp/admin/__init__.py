"""Admin pages and the operations dashboard."""
