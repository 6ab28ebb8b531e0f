"""One module per benchmark, each defining `benchmark = Benchmark(...)`; found by bench.registry."""
