import torch


def adjacency(edge_index, num_nodes):
    adj = torch.eye(num_nodes, dtype=torch.bool)
    adj[edge_index[0], edge_index[1]] = True
    adj[edge_index[1], edge_index[0]] = True
    return adj


def batched_neighbourhood(edge_index_list, num_nodes):
    blocked = torch.stack([~adjacency(ei, num_nodes) for ei in edge_index_list])
    return (~blocked).unsqueeze(1)
