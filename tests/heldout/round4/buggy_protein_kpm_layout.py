"""ESM-style protein language model (masked LM), fairseq-like seq-first layout."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ProteinBertLM(nn.Module):
    def __init__(self, alphabet_size=33, embed_dim=320, layers=6, heads=20, padding_idx=1, mask_idx=32):
        super().__init__()
        self.padding_idx, self.mask_idx = padding_idx, mask_idx
        self.embed_tokens = nn.Embedding(alphabet_size, embed_dim, padding_idx=padding_idx)
        self.embed_positions = nn.Embedding(1026, embed_dim)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(embed_dim, heads, 4 * embed_dim, 0.0, activation="gelu", norm_first=True)
            for _ in range(layers)
        )
        self.final_ln = nn.LayerNorm(embed_dim)
        self.lm_head = nn.Linear(embed_dim, alphabet_size)

    def forward(self, tokens):
        # tokens: (B, T)
        padding_mask = tokens.eq(self.padding_idx)                         # (B, T)
        pos = torch.arange(tokens.size(1), device=tokens.device)
        x = self.embed_tokens(tokens) + self.embed_positions(pos)
        x = x * (1 - padding_mask.unsqueeze(-1).type_as(x))

        # (B, T, E) -> (T, B, E) for the seq-first layers; keep the mask in the same layout
        x = x.transpose(0, 1)
        padding_mask = padding_mask.transpose(0, 1)                        # (T, B)
        for layer in self.layers:
            x = layer(
                x,
                src_key_padding_mask=padding_mask,  # expect: ML304
            )
        x = self.final_ln(x.transpose(0, 1))
        return self.lm_head(x)


def mlm_loss(model, tokens, mask_prob=0.15):
    special = tokens.eq(model.padding_idx) | tokens.lt(4)
    probs = torch.full(tokens.shape, mask_prob, device=tokens.device).masked_fill(special, 0.0)
    chosen = torch.bernoulli(probs).bool()
    inputs = tokens.masked_fill(chosen, model.mask_idx)
    logits = model(inputs)
    return F.cross_entropy(logits[chosen], tokens[chosen])
