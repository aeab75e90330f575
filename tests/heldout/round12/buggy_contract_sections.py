"""Clause-type tagging for contract sections during due diligence.

A contract is split into sections; some sections are empty after boilerplate
removal, so a batch can contain rows with no tokens at all.  The padding bias
is a large finite negative (not -inf) precisely so that such rows stay finite.
Inference runs in float16.
"""
import torch
import torch.nn.functional as F
from torch import nn

CLAUSES = ["indemnity", "termination", "governing_law", "confidentiality", "assignment", "other"]
NEG = -1e9


def padding_bias(token_mask: torch.Tensor) -> torch.Tensor:
    """(N, S) 1 = token -> (N, 1, 1, S) additive bias, finite for empty sections."""
    return (1.0 - token_mask[:, None, None, :].float()) * NEG


class EagerSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, bias):
        n, s, d = x.shape
        q, k, v = self.qkv(x).view(n, s, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)) * (d // self.h) ** -0.5
        scores = scores + bias.to(scores.dtype)  # expect: ML205
        return self.proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(n, s, d))


class SectionTagger(nn.Module):
    def __init__(self, vocab=4000, dim=32, heads=4, depth=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim, padding_idx=0)
        self.attn = nn.ModuleList(EagerSelfAttention(dim, heads) for _ in range(depth))
        self.out = nn.Linear(dim, len(CLAUSES))

    def forward(self, ids, token_mask):
        bias = padding_bias(token_mask)
        x = self.tok(ids)
        for layer in self.attn:
            x = x + layer(F.layer_norm(x, x.shape[-1:]), bias)
        w = token_mask.unsqueeze(-1).to(x.dtype)
        return self.out((x * w).sum(1) / w.sum(1).clamp_min(1.0))


@torch.no_grad()
def tag_contract(model, ids, token_mask):
    logits = model.half()(ids, token_mask).float()
    empty = token_mask.sum(1) == 0
    return [("<empty>" if e else CLAUSES[i]) for i, e in zip(logits.argmax(-1).tolist(), empty.tolist())], logits


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.tensor([[17, 230, 31, 998, 4, 0], [0, 0, 0, 0, 0, 0], [77, 12, 3001, 0, 0, 0]])
    token_mask = (ids != 0).long()
    model = SectionTagger().eval()
    with torch.no_grad():
        print("fp32 finite:", torch.isfinite(model(ids, token_mask)).all().item())
    tags, logits = tag_contract(model, ids, token_mask)
    print("fp16 tags", tags, "finite:", torch.isfinite(logits).all().item())
