import torch

NEG = torch.finfo(torch.float32).min


def causal_padding_bias(attention_mask: torch.Tensor) -> torch.Tensor:
    """(N, S) 1/0 keep mask -> (N, 1, S, S) additive bias, 0 = visible.

    Built in float32 once per batch; layers cast it to their compute dtype.
    """
    n, s = attention_mask.shape
    future = torch.ones(s, s, dtype=torch.bool, device=attention_mask.device).triu(1)
    bias = torch.zeros(n, 1, s, s, device=attention_mask.device)
    bias = bias.masked_fill(future, NEG)
    bias = bias.masked_fill(attention_mask[:, None, None, :] == 0, NEG)
    return bias
