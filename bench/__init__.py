"""leakbot's performance benchmark: ``python -m bench.run [--smoke]``; see docs/performance.md."""
