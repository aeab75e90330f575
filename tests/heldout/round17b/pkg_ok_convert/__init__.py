"""Anomaly forecasting on satellite housekeeping telemetry (passes of varying length)."""
