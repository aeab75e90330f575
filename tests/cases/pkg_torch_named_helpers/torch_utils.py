"""A project module whose name starts like a library's (torch_utils, not torch)."""
import torch


def make_keep(n):
    return torch.tril(torch.ones(n, n)).bool()
