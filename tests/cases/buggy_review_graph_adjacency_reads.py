import torch
import torch.nn as nn
import torch.nn.functional as F


class GraphMHA(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)

    def by_attr(self, x, graph):
        return self.mha(x, x, x, attn_mask=graph.adj)[0]  # expect: ML101

    def by_key(self, x, batch):
        return self.mha(x, x, x, attn_mask=batch["adj"])[0]  # expect: ML101

    def by_long_name(self, x, data):
        return self.mha(x, x, x, attn_mask=data.adjacency_matrix)[0]  # expect: ML101

    def by_local(self, x, data):
        adj = data["adjacency"].bool()
        return self.mha(x, x, x, attn_mask=adj)[0]  # expect: ML101


def sdpa_inverted(q, k, v, graph):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=~graph.adj)  # expect: ML102
