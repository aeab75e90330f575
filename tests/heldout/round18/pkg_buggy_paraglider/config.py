from dataclasses import dataclass


@dataclass(frozen=True)
class FlightConfig:
    sample_hz: int = 1
    window_s: int = 20          # how far back a fix may look
    features: int = 7           # climb rate, ground speed, heading sin/cos, altitude AGL, wind u/v
    d_model: int = 32
    nhead: int = 4
    depth: int = 2
