"""Site statistics: visit counters (INCR and HyperLogLog), rankings in sorted sets, and the
daily roll-up of both into the database for the dashboard's history."""
