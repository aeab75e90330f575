"""Recurrent-memory encoder: segments read from a bank of written slots."""
import torch
import torch.nn as nn


class SlotAttentionBlock(nn.Module):
    def __init__(self, d_model, nhead, n_slots):
        super().__init__()
        self.n_slots = n_slots
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model))

    def key_mask(self, seg_len, n_written, device):
        mask = torch.zeros(seg_len, self.n_slots + seg_len, dtype=torch.bool, device=device)
        unused = torch.arange(n_written, self.n_slots, device=device)
        mask.index_fill_(1, unused, True)
        return mask

    def forward(self, x, memory, n_written):
        kv = torch.cat([memory, x], dim=1)
        out, _ = self.attn(x, kv, kv, attn_mask=self.key_mask(x.size(1), n_written, x.device), need_weights=False)
        h = self.norm1(x + out)
        return self.norm2(h + self.ff(h))


class SlotMemoryEncoder(nn.Module):
    def __init__(self, vocab, d_model=64, nhead=4, n_slots=8):
        super().__init__()
        self.n_slots = n_slots
        self.embed = nn.Embedding(vocab, d_model)
        self.block = SlotAttentionBlock(d_model, nhead, n_slots)
        self.write = nn.Linear(d_model, d_model)

    def forward(self, segments):
        bsz = segments[0].size(0)
        memory = segments[0].new_zeros(bsz, self.n_slots, self.embed.embedding_dim, dtype=torch.float)
        outs = []
        for step, seg in enumerate(segments):
            n_written = min(step, self.n_slots)
            h = self.block(self.embed(seg), memory, n_written)
            outs.append(h)
            if step < self.n_slots:
                memory = torch.cat(
                    [memory[:, :step], torch.tanh(self.write(h.mean(1)))[:, None], memory[:, step + 1:]], dim=1
                )
        return torch.cat(outs, dim=1)
