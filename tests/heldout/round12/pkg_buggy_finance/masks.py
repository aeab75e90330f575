"""Look-ahead table for order-book events (True = the pair is hidden)."""
import torch


def lookahead_table(max_events: int) -> torch.Tensor:
    table = torch.zeros(max_events, max_events, dtype=torch.bool)
    rows, cols = torch.triu_indices(max_events, max_events)
    table[rows, cols] = True
    return table
