import torch

GRID = 16
BOS = GRID * GRID


def to_tokens(latlon, lat_range=(54.0, 56.0), lon_range=(10.0, 13.0)):
    lat = ((latlon[..., 0] - lat_range[0]) / (lat_range[1] - lat_range[0]) * GRID).long().clamp(0, GRID - 1)
    lon = ((latlon[..., 1] - lon_range[0]) / (lon_range[1] - lon_range[0]) * GRID).long().clamp(0, GRID - 1)
    tok = lat * GRID + lon
    return torch.cat([torch.full_like(tok[:, :1], BOS), tok], dim=1)
