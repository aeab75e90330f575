"""Shared settings for the track models and the data pipeline."""

BATCH_FIRST = True
D_MODEL = 48
N_HEADS = 4
N_LAYERS = 2
REPORT_FEATURES = ["lat", "lon", "alt_ft", "ground_speed", "track_deg", "vert_rate"]

# normalisation constants (approximate, en-route traffic)
MEANS = {"lat": 50.0, "lon": 5.0, "alt_ft": 30000.0, "ground_speed": 420.0, "track_deg": 180.0, "vert_rate": 0.0}
SCALES = {"lat": 3.0, "lon": 6.0, "alt_ft": 8000.0, "ground_speed": 60.0, "track_deg": 100.0, "vert_rate": 1500.0}


def normalise(reports):
    """reports: list of dicts -> list of normalised feature lists."""
    return [[(r[k] - MEANS[k]) / SCALES[k] for k in REPORT_FEATURES] for r in reports]


def describe():
    return {
        "batch_first": BATCH_FIRST,
        "d_model": D_MODEL,
        "heads": N_HEADS,
        "layers": N_LAYERS,
        "features": len(REPORT_FEATURES),
    }


def validate():
    assert D_MODEL % N_HEADS == 0, "D_MODEL must be divisible by N_HEADS"
    assert set(MEANS) == set(SCALES) == set(REPORT_FEATURES)
