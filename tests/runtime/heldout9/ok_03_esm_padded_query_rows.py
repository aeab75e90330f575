# EXPECT: clean
"""Imitates an ESM-2 style protein language-model encoder fine-tuned for
per-residue secondary-structure tagging. The padding mask is materialised as a
full [B, 1, L, L] boolean mask (pad rows AND pad columns), so the query rows of
padding positions have no attendable key at all; F.scaled_dot_product_attention
returns zeros for them and those positions are excluded from the loss and the
outputs."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, CLS, EOS = 1, 0, 2


def pair_mask(tokens):
    keep = tokens.ne(PAD)
    return keep[:, None, :, None] & keep[:, None, None, :]  # [B, 1, L, L]


class ESMAttention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads = heads
        self.q_proj = nn.Linear(d, d)
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.out_proj = nn.Linear(d, d)
        self.dropout = dropout

    def forward(self, x, mask):
        B, L, D = x.shape
        q = self.q_proj(x).view(B, L, self.heads, -1).transpose(1, 2)
        k = self.k_proj(x).view(B, L, self.heads, -1).transpose(1, 2)
        v = self.v_proj(x).view(B, L, self.heads, -1).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)
        return self.out_proj(y.transpose(1, 2).reshape(B, L, D))


class ESMLayer(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.self_attn = ESMAttention(d, heads, dropout)
        self.final_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 2 * d)
        self.fc2 = nn.Linear(2 * d, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask):
        x = x + self.drop(self.self_attn(self.self_attn_layer_norm(x), mask))
        return x + self.drop(self.fc2(F.gelu(self.fc1(self.final_layer_norm(x)))))


class ESMForTokenClassification(nn.Module):
    def __init__(self, alphabet=25, d=32, heads=4, layers=2, num_labels=3, dropout=0.1, max_len=16):
        super().__init__()
        self.embed_tokens = nn.Embedding(alphabet, d, padding_idx=PAD)
        self.embed_positions = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList([ESMLayer(d, heads, dropout) for _ in range(layers)])
        self.emb_layer_norm_after = nn.LayerNorm(d)
        self.classifier = nn.Linear(d, num_labels)

    def forward(self, tokens):
        pad = tokens.eq(PAD)
        x = self.embed_tokens(tokens) + self.embed_positions(torch.arange(tokens.size(1)))
        x = x.masked_fill(pad.unsqueeze(-1), 0.0)
        mask = pair_mask(tokens)
        for layer in self.layers:
            x = layer(x, mask)
        return self.classifier(self.emb_layer_norm_after(x))


def batch_converter(g, lengths):
    L = max(lengths) + 2
    toks = torch.full((len(lengths), L), PAD, dtype=torch.long)
    labels = torch.full((len(lengths), L), -100, dtype=torch.long)
    for i, n in enumerate(lengths):
        toks[i, 0] = CLS
        toks[i, 1 : n + 1] = torch.randint(4, 25, (n,), generator=g)
        toks[i, n + 1] = EOS
        labels[i, 1 : n + 1] = torch.randint(0, 3, (n,), generator=g)
    return toks, labels


def run():
    torch.manual_seed(0)
    model = ESMForTokenClassification()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(107)
    toks, labels = batch_converter(g, [12, 5, 9, 3])

    model.train()
    logits = model(toks)
    loss = F.cross_entropy(logits.reshape(-1, 3), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        t2, _ = batch_converter(g, [7, 11, 2])
        probs = model(t2).softmax(-1) * t2.ne(PAD).unsqueeze(-1)
    return [loss.detach(), *grads, probs]
