"""Local stand-ins that speak the real protocols, for the demo, tests and benchmarks."""
