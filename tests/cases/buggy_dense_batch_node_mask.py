"""Graph batches made dense in the PyG idiom (to_dense_batch): the node mask is True at the real
nodes, written at their (graph, index) positions; its inverse marks the padding."""
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
    padding = ~node_mask
    return F.scaled_dot_product_attention(q, q, q, attn_mask=padding[:, None, None, :])  # expect: ML102


class EdgeRestrictedAttention(nn.Module):
    def forward(self, x, batch, adj, heads=2, max_nodes=8):
        h, node_mask = to_dense(x, batch, max_nodes)
        b, n, c = h.shape
        q = h.view(b, n, heads, c // heads).transpose(1, 2)
        hidden = (adj == 0) | ~node_mask[:, None, :]
        return F.scaled_dot_product_attention(q, q, q, attn_mask=hidden[:, None])  # expect: ML102
