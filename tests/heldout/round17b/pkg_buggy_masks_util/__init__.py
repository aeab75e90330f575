"""Human activity recognition from wrist-worn IMU recordings of varying length."""
