"""Molecular property regression with bond-distance-limited attention between atoms."""
