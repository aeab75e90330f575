"""Sparse-structure graph transformer written functionally: dense-batched
graphs, attention restricted to edges (plus self loops) and real nodes.
The structural mask is kept as a keep mask (True = edge), as SDPA reads it."""
import torch
import torch.nn.functional as F


def dense_batch(x, batch, max_nodes):
    """PyG-style to_dense_batch: (sum_nodes, C) + batch vector -> (B, N, C), node_mask."""
    B = int(batch.max()) + 1
    counts = torch.bincount(batch, minlength=B)
    offsets = torch.cumsum(counts, 0) - counts
    idx = torch.arange(batch.numel()) - offsets[batch]
    out = x.new_zeros(B, max_nodes, x.size(-1))
    out[batch, idx] = x
    node_mask = torch.zeros(B, max_nodes, dtype=torch.bool)
    node_mask[batch, idx] = True
    return out, node_mask, idx


def dense_adj(edge_index, batch, local_idx, max_nodes):
    B = int(batch.max()) + 1
    adj = torch.zeros(B, max_nodes, max_nodes)
    src, dst = edge_index
    adj[batch[src], local_idx[src], local_idx[dst]] = 1.0
    adj = adj + torch.eye(max_nodes)[None]
    return adj


def graph_attention_layer(h, attn_mask, params, heads):
    B, N, C = h.shape
    qkv = (h @ params["wqkv"]).view(B, N, 3, heads, C // heads).permute(2, 0, 3, 1, 4)
    out = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=attn_mask)
    return h + out.transpose(1, 2).reshape(B, N, C) @ params["wo"]


def encode_graphs(x, edge_index, batch, params, heads=2, max_nodes=5, layers=2):
    h, node_mask, local_idx = dense_batch(x, batch, max_nodes)
    adj = dense_adj(edge_index, batch, local_idx, max_nodes)
    has_edge = adj.bool() & node_mask[:, None, :]
    has_edge |= torch.eye(max_nodes, dtype=torch.bool)  # padded nodes keep their self loop
    for _ in range(layers):
        h = graph_attention_layer(
            h,
            has_edge[:, None],
            params,
            heads,
        )
    return h, node_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    C = 8
    params = {"wqkv": torch.randn(C, 3 * C) * 0.3, "wo": torch.randn(C, C) * 0.3}
    # graph 0: path 0-1-2-3-4 ; graph 1: triangle 5-6-7
    x = torch.randn(8, C)
    batch = torch.tensor([0, 0, 0, 0, 0, 1, 1, 1])
    e = [(0, 1), (1, 2), (2, 3), (3, 4), (5, 6), (6, 7), (5, 7)]
    edge_index = torch.tensor(e + [(b, a) for a, b in e]).t()
    h, node_mask = encode_graphs(x, edge_index, batch, params, layers=1)
    x2 = x.clone()
    x2[4] += 5.0  # node 4 is not a neighbour of node 0
    h2, _ = encode_graphs(x2, edge_index, batch, params, layers=1)
    assert (h[0, 0] - h2[0, 0]).abs().max() < 1e-5, "non-neighbour leaked"
    assert (h[0, 3] - h2[0, 3]).abs().max() > 1e-4, "neighbour must matter"
    # graph 1 alone (no padding) equals its padded rows in the batch
    e1 = torch.tensor([(0, 1), (1, 2), (0, 2), (1, 0), (2, 1), (2, 0)]).t()
    h_solo, _ = encode_graphs(x[5:], e1, torch.zeros(3, dtype=torch.long), params, layers=2, max_nodes=3)
    h_b, _ = encode_graphs(x, edge_index, batch, params, layers=2)
    assert torch.allclose(h_b[1, :3], h_solo[0], atol=1e-5)
    assert not torch.isnan(h_b).any()
    print("ok: structure respected, padding invariant")
