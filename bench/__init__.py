"""Benchmarks: load runs with wrk against the site under gunicorn, next to a minimal baseline.

`harness` starts the private services (redis-server, gunicorn, a scratch PostgreSQL database),
`loadgen` runs wrk and reads its numbers, `baseline_app` is the yardstick every page is
compared with. Each benchmark is a script: `.venv/bin/python bench/homepage.py`.
"""
