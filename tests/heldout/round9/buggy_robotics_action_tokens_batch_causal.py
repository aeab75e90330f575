"""Autoregressive action-token policy (RT-style): discretised action tokens are decoded
one dimension at a time, conditioned on image/proprio tokens."""
import torch
import torch.nn as nn


class ActionTokenDecoder(nn.Module):
    def __init__(self, n_bins=32, d=32, heads=4, layers=2):
        super().__init__()
        self.act_emb = nn.Embedding(n_bins, d)
        layer = nn.TransformerDecoderLayer(d, heads, dim_feedforward=64, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.logits = nn.Linear(d, n_bins)

    def forward(self, act_tokens, obs_tokens):
        tgt = self.act_emb(act_tokens)                       # (B, T, d)
        causal = nn.Transformer.generate_square_subsequent_mask(act_tokens.size(0))
        h = self.decoder(tgt, obs_tokens,
                         tgt_mask=causal)  # expect: ML303
        return self.logits(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    policy = ActionTokenDecoder()
    acts = torch.randint(0, 32, (2, 7))          # 7 action dimensions
    obs = torch.randn(2, 10, 32)
    try:
        policy(acts, obs)
        print("ran")
    except (RuntimeError, AssertionError) as e:
        print("FAILURE SHOWN:", str(e)[:100])
