"""Operating Avala on many machines: health and readiness probes, metrics, request ids in logs."""
