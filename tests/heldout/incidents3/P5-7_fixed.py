import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attn_mask=None):
        b, s, d = x.shape
        q, k, v = self.wqkv(x).view(b, s, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.wo(out.transpose(1, 2).reshape(b, s, d))


class MiniMindBlock(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.attention_norm, self.ffn_norm = nn.RMSNorm(dim), nn.RMSNorm(dim)
        self.attention = Attention(dim, n_heads)
        self.feed_forward = nn.Sequential(nn.Linear(dim, 4 * dim, bias=False), nn.SiLU(), nn.Linear(4 * dim, dim, bias=False))

    def forward(self, x, attn_mask=None):
        x = x + self.attention(self.attention_norm(x), attn_mask)
        return x + self.feed_forward(self.ffn_norm(x))


class MiniMindLM(nn.Module):
    def __init__(self, vocab_size=6400, dim=128, n_heads=4, n_layers=2):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab_size, dim)
        self.layers = nn.ModuleList(MiniMindBlock(dim, n_heads) for _ in range(n_layers))
        self.norm = nn.RMSNorm(dim)
        self.output = nn.Linear(dim, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        s = input_ids.size(1)
        h = self.tok_embeddings(input_ids)
        causal = torch.ones(s, s, dtype=torch.bool, device=h.device).tril()
        attn_mask = causal[None, None]
        if attention_mask is not None:
            attn_mask = attn_mask & attention_mask.bool()[:, None, None, :]
            attn_mask = attn_mask | torch.eye(s, dtype=torch.bool, device=h.device)
        for layer in self.layers:
            h = layer(h, attn_mask)
        return self.output(self.norm(h))


def train_one_epoch(model, loader, optimizer):
    """Batches come from the SFT collator, which LEFT-pads to the longest conversation."""
    model.train()
    for step, batch in enumerate(loader):
        X, Y, loss_mask = batch["input_ids"][:, :-1], batch["input_ids"][:, 1:], batch["loss_mask"][:, 1:]
        logits = model(X, attention_mask=batch["attention_mask"][:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), Y.reshape(-1), reduction="none")
        loss = (loss * loss_mask.reshape(-1)).sum() / loss_mask.sum().clamp(min=1)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
