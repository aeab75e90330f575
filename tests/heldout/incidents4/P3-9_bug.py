import torch
import torch.nn as nn


class FrameEncoder(nn.Module):
    def __init__(self, feat_dim, d_model, nhead, num_layers):
        super().__init__()
        self.proj = nn.Linear(feat_dim, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2 * d_model, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)

    def forward(self, frames):
        x = self.proj(frames).transpose(0, 1)
        return self.encoder(x)


class CaptionCrossAttention(nn.Module):
    def __init__(self, d_model, nhead):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, words, memory):
        out, weights = self.attn(words, memory, memory)  # BUG
        return self.norm(words + out), weights


class CaptionDecoder(nn.Module):
    def __init__(self, vocab, d_model, nhead):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.self_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.cross = CaptionCrossAttention(d_model, nhead)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, words, memory):
        x = self.embed(words)
        n = words.size(1)
        causal = torch.ones(n, n, dtype=torch.bool, device=words.device).triu(1)
        h, _ = self.self_attn(x, x, x, attn_mask=causal)
        x = x + h
        x, _ = self.cross(x, memory)
        return self.out(x)


class VideoCaptioner(nn.Module):
    def __init__(self, feat_dim=512, vocab=1000, d_model=128, nhead=4, num_layers=2):
        super().__init__()
        self.frame_encoder = FrameEncoder(feat_dim, d_model, nhead, num_layers)
        self.decoder = CaptionDecoder(vocab, d_model, nhead)

    def forward(self, frames, words):
        memory = self.frame_encoder(frames)  # BUG
        return self.decoder(words, memory)


def build_from_config(cfg):
    model = VideoCaptioner(cfg["feat_dim"], cfg["vocab"], cfg["d_model"], cfg["nhead"], cfg["layers"])
    sampler = dict(batch_size=cfg["num_frames"], num_frames=cfg["num_frames"])
    return model, sampler


CONFIG = {"feat_dim": 512, "vocab": 1000, "d_model": 128, "nhead": 4, "layers": 2, "num_frames": 16}
