"""Forms of competitions, one module per area (mirroring routes/)."""
