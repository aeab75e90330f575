import torch


def to_dense_adj(edge_index, num_nodes):
    adj = torch.zeros(num_nodes, num_nodes, dtype=torch.bool)
    adj[edge_index[0], edge_index[1]] = True
    adj |= adj.clone().t()
    adj |= torch.eye(num_nodes, dtype=torch.bool)
    return adj


def neighbourhood_mask(edge_index_list, num_nodes):
    adjs = torch.stack([to_dense_adj(ei, num_nodes) for ei in edge_index_list])
    return torch.logical_not(adjs).unsqueeze(1)
