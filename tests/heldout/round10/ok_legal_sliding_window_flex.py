"""Long legal-document LM with causal sliding-window attention via FlexAttention (Mistral-style window)."""
import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")


def sliding_window_causal(window, doc_lens):
    def mask_mod(b, h, q_idx, kv_idx):
        causal = q_idx >= kv_idx
        near = q_idx - kv_idx < window
        real_key = kv_idx < doc_lens[b]
        return causal & near & (real_key | (q_idx == kv_idx))
    return mask_mod


class WindowBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.norm1, self.norm2 = nn.RMSNorm(d), nn.RMSNorm(d)
        self.wqkv, self.wo = nn.Linear(d, 3 * d, bias=False), nn.Linear(d, d, bias=False)
        self.ffn = nn.Sequential(nn.Linear(d, 3 * d), nn.SiLU(), nn.Linear(3 * d, d))

    def forward(self, x, block_mask):
        B, T, D = x.shape
        q, k, v = self.wqkv(self.norm1(x)).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)
        x = x + self.wo(y.transpose(1, 2).reshape(B, T, D))
        return x + self.ffn(self.norm2(x))


class LegalLM(nn.Module):
    def __init__(self, vocab=4000, d=64, heads=4, depth=2, window=16, max_len=256):
        super().__init__()
        self.window = window
        self.emb, self.pos = nn.Embedding(vocab, d), nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList(WindowBlock(d, heads) for _ in range(depth))
        self.out = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, doc_lens):
        B, T = ids.shape
        mask_mod = sliding_window_causal(self.window, doc_lens)
        block_mask = create_block_mask(mask_mod, B=B, H=None, Q_LEN=T, KV_LEN=T, device=ids.device)
        x = self.emb(ids) + self.pos(torch.arange(T, device=ids.device))
        for blk in self.blocks:
            x = blk(x, block_mask)
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LegalLM().eval()
    ids = torch.randint(1, 4000, (2, 96))
    doc_lens = torch.tensor([96, 70])
    ids[1, 70:] = 0
    with torch.no_grad():
        logits = model(ids, doc_lens)
        probe = ids.clone()
        probe[0, 60] = 7
        moved = (model(probe, doc_lens) - logits)[0].abs().amax(-1)
    print(logits.shape, moved[:60].max().item(), moved[60 + 2 * 16:].max().item())
