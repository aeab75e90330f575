"""Fault localisation on a power-distribution feeder from phasor measurements."""
