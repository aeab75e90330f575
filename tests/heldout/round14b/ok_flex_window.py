"""Sliding-window + document-aware FlexAttention for a long-context speech-token LM (inference)."""
import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import and_masks, create_block_mask, flex_attention

warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")

WINDOW_SIZE = 8


def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


def sliding_window(b, h, q_idx, kv_idx):
    return q_idx - kv_idx < WINDOW_SIZE


def make_document_mask(segment_ids):
    def same_segment(b, h, q_idx, kv_idx):
        return segment_ids[b, q_idx] == segment_ids[b, kv_idx]
    return same_segment


class FlexDecoderLayer(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, block_mask):
        B, T, C = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(B, T, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, C))
        return x + self.mlp(self.norm2(x))


class SpeechTokenLM(nn.Module):
    def __init__(self, codebook=1024, dim=64, n_heads=4, n_layers=2):
        super().__init__()
        self.embed = nn.Embedding(codebook, dim)
        self.layers = nn.ModuleList(FlexDecoderLayer(dim, n_heads) for _ in range(n_layers))
        self.head = nn.Linear(dim, codebook)

    def forward(self, codes, segment_ids):
        B, T = codes.shape
        mask_mod = and_masks(causal, sliding_window, make_document_mask(segment_ids))
        block_mask = create_block_mask(mask_mod, B=B, H=None, Q_LEN=T, KV_LEN=T, device=codes.device)
        x = self.embed(codes)
        for layer in self.layers:
            x = layer(x, block_mask)
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SpeechTokenLM().eval()
    codes = torch.randint(0, 1024, (2, 32))
    segment_ids = torch.zeros(2, 32, dtype=torch.long)
    segment_ids[0, 20:] = 1                 # two utterances packed in row 0
    with torch.no_grad():
        logits = model(codes, segment_ids)
        nll = nn.functional.cross_entropy(logits[:, :-1].flatten(0, 1), codes[:, 1:].flatten())
    print("eval nll", round(nll.item(), 3))
