# EXPECT: ok
"""Encoder on SDPA that turns the tokenizer's attention_mask into a bool
keep-mask with .bool() and a (B, 1, 1, S) view: SDPA reads True as attend,
so the Hugging Face polarity carries over unchanged."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SdpaSelfAttention(nn.Module):
    def __init__(self, hidden, heads, p):
        super().__init__()
        self.heads, self.p = heads, p
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.dense = nn.Linear(hidden, hidden)

    def shape(self, x):
        B, S, H = x.shape
        return x.view(B, S, self.heads, H // self.heads).permute(0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask):
        keep = attention_mask.bool()[:, None, None, :]
        ctx = F.scaled_dot_product_attention(
            self.shape(self.query(hidden_states)), self.shape(self.key(hidden_states)),
            self.shape(self.value(hidden_states)), attn_mask=keep,
            dropout_p=self.p if self.training else 0.0)
        B, _, S, _ = ctx.shape
        return self.dense(ctx.permute(0, 2, 1, 3).reshape(B, S, -1))


class BertLike(nn.Module):
    def __init__(self, vocab=130, hidden=32, heads=4, layers=2, p=0.1):
        super().__init__()
        self.embeddings = nn.Embedding(vocab, hidden)
        self.attn = nn.ModuleList(SdpaSelfAttention(hidden, heads, p) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.pooler = nn.Linear(hidden, hidden)
        self.classifier = nn.Linear(hidden, 2)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        h = self.embeddings(input_ids)
        for attn, ln in zip(self.attn, self.ln):
            h = ln(h + attn(h, attention_mask))
        return self.classifier(torch.tanh(self.pooler(h[:, 0])))


def run():
    torch.manual_seed(110)
    am = torch.tensor([[1] * 10, [1] * 6 + [0] * 4, [1] * 10, [1] * 3 + [0] * 7, [1] * 8 + [0] * 2])
    enc = {"input_ids": torch.randint(3, 130, (5, 10)) * am, "attention_mask": am,
           "token_type_ids": torch.zeros_like(am)}
    labels = torch.tensor([1, 0, 0, 1, 1])
    model = BertLike()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-5 * 50)
    model.train()
    loss = F.cross_entropy(model(**enc), labels)
    opt.zero_grad()
    loss.backward()
    g = model.pooler.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(**enc)
    return [loss.detach(), g, ev]
