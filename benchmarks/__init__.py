"""Benchmarks: each script measures one capability side by side with the plain alternative."""
