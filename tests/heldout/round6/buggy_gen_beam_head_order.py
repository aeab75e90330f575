"""Beam-search decoder whose cross-attention takes a per-sample 3-D memory mask."""
import torch
import torch.nn as nn


class CrossAttnStep(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.cross = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, y, memory, memory_pad):
        # memory_pad: (N, S) True = padded encoder frame
        N, S = memory_pad.shape
        L = y.size(1)
        m = memory_pad[:, None, :].expand(N, L, S)
        m = m.unsqueeze(0).expand(self.heads, N, L, S).reshape(self.heads * N, L, S)
        out, _ = self.cross(
            y, memory, memory,
            attn_mask=m,  # expect: ML302
        )
        return out


@torch.no_grad()
def beam_search(step, emb, proj, memory, memory_pad, bos=1, beam=3, max_len=4):
    N = memory.size(0)
    memory = memory.repeat_interleave(beam, dim=0)
    memory_pad = memory_pad.repeat_interleave(beam, dim=0)
    ys = torch.full((N * beam, 1), bos, dtype=torch.long)
    scores = torch.zeros(N, beam)
    scores[:, 1:] = float("-inf")
    for _ in range(max_len):
        logp = proj(step(emb(ys), memory, memory_pad)[:, -1]).log_softmax(-1)
        V = logp.size(-1)
        cand = (scores.view(-1, 1) + logp).view(N, beam * V)
        scores, idx = cand.topk(beam, dim=-1)
        origin = (idx // V) + torch.arange(N)[:, None] * beam
        ys = torch.cat([ys[origin.view(-1)], (idx % V).view(-1, 1)], dim=1)
    return ys.view(N, beam, -1), scores


if __name__ == "__main__":
    torch.manual_seed(0)
    step, emb, proj = CrossAttnStep().eval(), nn.Embedding(20, 32), nn.Linear(32, 20)
    mem = torch.randn(2, 5, 32)
    pad = torch.tensor([[False] * 5, [False, False, True, True, True]])
    ys, sc = beam_search(step, emb, proj, mem, pad)
    print(ys[0, 0], sc[0])
