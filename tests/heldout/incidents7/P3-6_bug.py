"""Functional attention layer that owns its projection weights and calls
F.multi_head_attention_forward directly on seq-first tensors (cf. pytorch/pytorch issue 99945)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class FunctionalSelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout=0.0):
        super().__init__()
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, x, padding_mask):
        # x: (S, N, E); padding_mask: True at padding
        out, _ = F.multi_head_attention_forward(
            x, x, x, self.embed_dim, self.num_heads,
            self.in_proj_weight, self.in_proj_bias, None, None, False,
            self.dropout, self.out_proj.weight, self.out_proj.bias,
            training=self.training,
            key_padding_mask=padding_mask,  # BUG
            need_weights=False,
        )
        return out


class TokenTagger(nn.Module):
    def __init__(self, vocab=80, dim=32, heads=4, n_tags=5):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.attn = FunctionalSelfAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)
        self.tagger = nn.Linear(dim, n_tags)

    def forward(self, tokens):
        # tokens: (S, N)
        padding_mask = tokens == PAD
        x = self.embed(tokens)
        x = self.norm(x + self.attn(x, padding_mask))
        return self.tagger(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    seqs = [[4, 8, 15, 16, 23, 42], [7, 7, 3], [9, 1, 2, 5]]
    S = max(len(s) for s in seqs)
    tokens = torch.full((S, len(seqs)), PAD, dtype=torch.long)
    for j, s in enumerate(seqs):
        tokens[: len(s), j] = torch.tensor(s)
    tags = torch.randint(0, 5, tokens.shape).masked_fill(tokens == PAD, -100)
    model = TokenTagger()
    logits = model(tokens)
    loss = F.cross_entropy(logits.reshape(-1, 5), tags.reshape(-1), ignore_index=-100)
    loss.backward()
    print("loss", loss.item())
