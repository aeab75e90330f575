"""Sparse retrieval attention: each query block reads only the memory slots a router selects."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def selected_slots(router_logits, k):
    chosen = router_logits.topk(k, dim=-1).indices
    return torch.zeros_like(router_logits, dtype=torch.bool).scatter(-1, chosen, True)


class RoutedReader(nn.Module):
    def __init__(self, dim=32, heads=4, k=4):
        super().__init__()
        self.k, self.heads = k, heads
        self.router = nn.Linear(dim, dim)
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)

    def sdpa_read(self, q, memory_k, memory_v, router_logits):
        dropped = ~selected_slots(router_logits, self.k)
        return F.scaled_dot_product_attention(q, memory_k, memory_v, attn_mask=dropped[:, None, None, :])  # expect: ML102

    def mha_read(self, queries, memory, router_logits):
        chosen = router_logits.topk(self.k, dim=-1).indices
        use = torch.zeros(memory.shape[:2], dtype=torch.bool, device=memory.device)
        use.scatter_(1, chosen, True)
        return self.mha(queries, memory, memory, key_padding_mask=use)[0]  # expect: ML101

    def mha_read_ok(self, queries, memory, router_logits):
        chosen = router_logits.topk(self.k, dim=-1).indices
        unused = torch.ones(memory.shape[:2], dtype=torch.bool, device=memory.device)
        unused.scatter_(1, chosen, False)
        return self.mha(queries, memory, memory, key_padding_mask=unused)[0]
