"""Shortest-path (hop) distances between atoms and the resulting attention masks."""
import torch


def hop_distances(adjacency):
    """Floyd-Warshall on a batch of 0/1 adjacency matrices; unreachable = large."""
    n = adjacency.size(-1)
    big = n + 1
    d = torch.where(adjacency.bool(), 1, big)
    d = d.masked_fill(torch.eye(n, dtype=torch.bool), 0)
    for k in range(n):
        d = torch.minimum(d, d[:, :, k:k + 1] + d[:, k:k + 1, :])
    return d


def blocked_pairs(adjacency, present, max_hops=2):
    """(molecules, atoms, atoms) bool: True where atom j is hidden from atom i."""
    too_far = hop_distances(adjacency) > max_hops
    absent = ~present
    blocked = torch.logical_or(too_far, absent[:, None, :])
    eye = torch.eye(adjacency.size(-1), dtype=torch.bool, device=adjacency.device)
    return blocked & ~eye


def chain(n_atoms, total):
    adj = torch.zeros(total, total)
    for i in range(n_atoms - 1):
        adj[i, i + 1] = adj[i + 1, i] = 1
    return adj


def ring(n_atoms, total):
    adj = chain(n_atoms, total)
    adj[0, n_atoms - 1] = adj[n_atoms - 1, 0] = 1
    return adj
