"""Token models whose ids are fields of a structured tensor (pitch, velocity and duration of a
note; kind and price of an order-book event), each field embedded and summed: trained on the next
step, and attending without a causal mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class NoteEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.pitch = nn.Embedding(128, dim)
        self.velocity = nn.Embedding(32, dim)
        self.duration = nn.Embedding(64, dim)

    def forward(self, notes):  # (B, T, 3) long
        return self.pitch(notes[:, :, 0]) + self.velocity(notes[:, :, 1]) + self.duration(notes[:, :, 2])


class PerformanceModel(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.embed = NoteEmbedding(dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, batch_first=True)
        self.body = nn.TransformerEncoder(layer, 2)
        self.pitch_head = nn.Linear(dim, 128)

    def forward(self, notes):
        return self.pitch_head(self.body(self.embed(notes)))  # expect: ML401


def train_step(model: PerformanceModel, notes):
    logits = model(notes[:, :-1])
    return F.cross_entropy(logits.flatten(0, 1), notes[:, 1:, 0].flatten())


class EventBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x):
        q, k, v = self.qkv(x).unflatten(-1, (3, self.h, -1)).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v).transpose(1, 2).flatten(2)  # expect: ML401


class TickGPT(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.fields = nn.ModuleList([nn.Embedding(8, dim), nn.Embedding(201, dim)])
        self.block = EventBlock(dim, heads)
        self.head = nn.Linear(dim, 201)

    def forward(self, events):
        x = self.fields[0](events[..., 0]) + self.fields[1](events[..., 1])
        return self.head(self.block(x))
