import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_4d_causal_attention_mask(attention_mask: torch.Tensor, seq_len: int) -> torch.Tensor:
    """(batch, seq) tokenizer mask -> (batch, 1, seq, seq) mask for SDPA."""
    causal = torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=attention_mask.device))
    return causal[None, None] & attention_mask.bool()[:, None, None, :]


class GemmaLikeBlock(nn.Module):
    def __init__(self, dim: int, n_heads: int):
        super().__init__()
        self.n_heads = n_heads
        self.norm1 = nn.RMSNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.norm2 = nn.RMSNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(approximate="tanh"), nn.Linear(4 * dim, dim))

    def forward(self, x, mask4d):
        b, s, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, s, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask4d)
        x = x + self.o(a.transpose(1, 2).reshape(b, s, d))
        return x + self.mlp(self.norm2(x))


class TinyGemma(nn.Module):
    def __init__(self, vocab: int = 1000, dim: int = 64, n_heads: int = 4, n_layers: int = 2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList(GemmaLikeBlock(dim, n_heads) for _ in range(n_layers))
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        mask4d = prepare_4d_causal_attention_mask(attention_mask, input_ids.size(1))
        h = self.embed(input_ids) * (self.embed.embedding_dim ** 0.5)
        for blk in self.blocks:
            h = blk(h, mask4d)
        return self.lm_head(h)


class SFTTrainer:
    def __init__(self, model: nn.Module, lr: float = 2e-4):
        self.model = model
        self.optimizer = torch.optim.AdamW(model.parameters(), lr=lr)

    def training_step(self, batch):
        logits = self.model(batch["input_ids"], batch["attention_mask"])
        loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), batch["labels"][:, 1:].flatten(), ignore_index=-100)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.detach()
