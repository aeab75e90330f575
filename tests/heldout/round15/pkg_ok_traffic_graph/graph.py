import torch


def pad_graphs(graphs):
    """graphs: list of (node_feats (n, F), edge_index (2, E)). Returns feats, adjacency, node_valid."""
    n_max = max(g[0].size(0) for g in graphs)
    F = graphs[0][0].size(1)
    feats = torch.zeros(len(graphs), n_max, F)
    adj = torch.zeros(len(graphs), n_max, n_max, dtype=torch.bool)
    valid = torch.zeros(len(graphs), n_max, dtype=torch.bool)
    for i, (x, ei) in enumerate(graphs):
        n = x.size(0)
        feats[i, :n] = x
        adj[i, ei[0], ei[1]] = True
        adj[i, ei[1], ei[0]] = True
        valid[i, :n] = True
    return feats, adj, valid


def neighbourhood_keep(adj: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """(B, N, N) True = may attend: neighbours and self, never padding (padding keeps only itself)."""
    eye = torch.eye(adj.size(-1), dtype=torch.bool, device=adj.device)
    return (adj & valid[:, None, :]) | eye
