"""Autoregressive LM over neural-audio-codec tokens (first codebook only).

Training feeds an explicit causal mask. ``score`` is the batched log-likelihood used to rerank
candidate continuations at inference time.
"""
import torch
from torch import nn
from torch.nn import functional as F


class CodecTokenLM(nn.Module):
    def __init__(self, codebook_size=256, dim=64, heads=4, layers=3, max_frames=300):
        super().__init__()
        self.bos = codebook_size
        self.emb = nn.Embedding(codebook_size + 1, dim)
        self.pos = nn.Embedding(max_frames + 1, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True)
        self.body = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(dim, codebook_size)

    def _embed(self, codes):
        bos = torch.full_like(codes[:, :1], self.bos)
        x = torch.cat([bos, codes[:, :-1]], 1)
        return self.emb(x) + self.pos(torch.arange(x.size(1), device=x.device))

    def forward(self, codes):
        h = self._embed(codes)
        causal = nn.Transformer.generate_square_subsequent_mask(h.size(1), device=h.device)
        return self.head(self.body(h, mask=causal, is_causal=True))

    def training_loss(self, codes):
        return F.cross_entropy(self(codes).transpose(1, 2), codes)

    @torch.inference_mode()
    def score(self, codes):
        """Per-sequence log-likelihood of ``codes`` (N, T)."""
        h = self._embed(codes)
        logits = self.head(self.body(h, is_causal=True))  # expect: ML402
        return logits.log_softmax(-1).gather(-1, codes[..., None]).squeeze(-1).sum(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = CodecTokenLM()
    codes = torch.randint(0, 256, (4, 30))
    print("train loss", lm.training_loss(codes).item())
    lm.eval()
    print("candidate scores", [round(s, 2) for s in lm.score(codes).tolist()])
