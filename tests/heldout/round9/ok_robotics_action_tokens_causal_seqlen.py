"""Autoregressive action-token policy (batch_first): the causal mask is sized from the
token dimension (dim 1), not the batch."""
import torch
import torch.nn as nn


class ActionDecoder(nn.Module):
    def __init__(self, n_bins=32, d=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(n_bins, d)
        layer = nn.TransformerDecoderLayer(d, heads, 64, dropout=0.0, batch_first=True)
        self.dec = nn.TransformerDecoder(layer, 2)
        self.out = nn.Linear(d, n_bins)

    def forward(self, act_tokens, obs):
        T = act_tokens.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T)
        return self.out(self.dec(self.emb(act_tokens), obs, tgt_mask=causal, tgt_is_causal=True))


if __name__ == "__main__":
    torch.manual_seed(0)
    pol = ActionDecoder().eval()
    acts, obs = torch.randint(0, 32, (2, 7)), torch.randn(2, 5, 32)
    with torch.no_grad():
        a = pol(acts, obs)
        acts2 = acts.clone()
        acts2[:, 4:] = (acts2[:, 4:] + 3) % 32
        b = pol(acts2, obs)
    assert torch.allclose(a[:, :4], b[:, :4], atol=1e-5), "future action dims leaked"
    print("OK: action dimension t only depends on dimensions <= t")
