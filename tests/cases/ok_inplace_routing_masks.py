"""In-place writes the analysis does not model (scatter_, index_fill_) leave a mask's cells
unknown: MoE group routing and top-k masks are not reported as "True everywhere"."""
import torch
import torch.nn.functional as F
from torch import nn


class GroupRouter(nn.Module):
    def __init__(self, d=64, n_experts=16, n_groups=4, topk_groups=2, top_k=4):
        super().__init__()
        self.gate = nn.Linear(d, n_experts, bias=False)
        self.n_groups, self.topk_groups, self.top_k = n_groups, topk_groups, top_k

    def forward(self, x):
        scores = self.gate(x).sigmoid()
        group_scores = scores.view(x.size(0), self.n_groups, -1).topk(2, dim=-1)[0].sum(dim=-1)
        group_idx = torch.topk(group_scores, k=self.topk_groups, dim=-1, sorted=False)[1]
        group_mask = torch.zeros_like(group_scores)
        group_mask.scatter_(1, group_idx, 1)
        score_mask = group_mask.unsqueeze(-1).expand(x.size(0), self.n_groups, -1).reshape(x.size(0), -1)
        masked = scores.masked_fill(~score_mask.bool(), 0.0)
        return torch.topk(masked, k=self.top_k, dim=-1)[1]


def topk_keep(logits: torch.Tensor, k: int) -> torch.Tensor:
    idx = logits.topk(k, dim=-1).indices
    keep = torch.zeros_like(logits, dtype=torch.bool)
    keep.scatter_(-1, idx, True)
    return logits.masked_fill(~keep, float("-inf")).softmax(-1)


def sparse_heads(scores: torch.Tensor, banned: torch.Tensor) -> torch.Tensor:
    allowed = torch.ones(scores.size(-1), dtype=torch.bool, device=scores.device)
    allowed.index_fill_(0, banned, False)
    return scores.masked_fill(~allowed, float("-inf"))


def additive_from_bool(mask_bool: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """timm-style: a float mask built from a bool keep mask with a dtype given by the caller."""
    mask_float = torch.zeros_like(mask_bool, dtype=dtype)
    mask_float.masked_fill_(~mask_bool, torch.finfo(dtype).min)
    return mask_float


def pooled(q, k, v, valid):
    mask = additive_from_bool(valid[:, None, None, :], q.dtype)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
