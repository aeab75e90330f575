"""Cross-encoder reranker: scores (query, passage) pairs packed into one
sequence, on top of nn.MultiheadAttention layers."""
import torch
import torch.nn as nn


class RerankerLayer(nn.Module):
    def __init__(self, d_model, num_heads, dropout=0.1):
        super().__init__()
        self.num_heads = num_heads
        self.attn = nn.MultiheadAttention(d_model, num_heads, dropout=dropout, batch_first=True)
        self.ln1 = nn.LayerNorm(d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, pad):
        # pad: (B, S) bool, True where the token is padding
        B, S, _ = x.shape
        # per-head (B, H, S, S) mask, as in the reference implementation
        attn_mask = pad[:, None, None, :].expand(B, self.num_heads, S, S)
        h = self.ln1(x)
        a, _ = self.attn(
            h, h, h,
            attn_mask=attn_mask,  # expect: ML301
            need_weights=False,
        )
        x = x + a
        return x + self.ffn(self.ln2(x))


class CrossEncoder(nn.Module):
    def __init__(self, vocab_size, d_model=384, num_heads=12, num_layers=6, pad_token_id=0):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.tok = nn.Embedding(vocab_size, d_model, padding_idx=pad_token_id)
        self.seg = nn.Embedding(2, d_model)
        self.pos = nn.Embedding(512, d_model)
        self.layers = nn.ModuleList(RerankerLayer(d_model, num_heads) for _ in range(num_layers))
        self.score = nn.Linear(d_model, 1)

    def forward(self, input_ids, token_type_ids):
        pad = input_ids == self.pad_token_id
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.tok(input_ids) + self.seg(token_type_ids) + self.pos(pos)
        for layer in self.layers:
            x = layer(x, pad)
        return self.score(x[:, 0]).squeeze(-1)


def listwise_loss(model, input_ids, token_type_ids, group_size):
    scores = model(input_ids, token_type_ids).view(-1, group_size)
    target = torch.zeros(scores.size(0), dtype=torch.long, device=scores.device)
    return nn.functional.cross_entropy(scores, target)
