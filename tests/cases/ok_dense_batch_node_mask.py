"""The same dense batches, the node mask given to each API the way it reads it."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def to_dense(x, batch, max_nodes):
    num_graphs = int(batch.max()) + 1
    counts = torch.bincount(batch, minlength=num_graphs)
    index = torch.arange(batch.numel()) - (torch.cumsum(counts, 0) - counts)[batch]
    dense = x.new_zeros(num_graphs, max_nodes, x.size(-1))
    dense[batch, index] = x
    node_mask = torch.zeros(num_graphs, max_nodes, dtype=torch.bool)
    node_mask[batch, index] = True
    return dense, node_mask


def graph_sdpa(x, batch, heads, max_nodes):
    h, node_mask = to_dense(x, batch, max_nodes)
    b, n, c = h.shape
    q = h.view(b, n, heads, c // heads).transpose(1, 2)
    return F.scaled_dot_product_attention(q, q, q, attn_mask=node_mask[:, None, None, :])


class GraphEncoder(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, batch, max_nodes=8):
        h, node_mask = to_dense(x, batch, max_nodes)
        return self.attn(h, h, h, key_padding_mask=~node_mask)[0]
