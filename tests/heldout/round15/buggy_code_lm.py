"""Code-completion language model wrapped in a Lightning-style module.

The training loop is framework-agnostic: anything that calls ``training_step`` /
``validation_step`` / ``configure_optimizers`` works (Lightning, Fabric, or the loop below).
"""
import math

import torch
from torch import nn
from torch.nn import functional as F


class ByteTokenizer:
    pad_id, bos_id = 0, 1

    def encode_batch(self, snippets, max_len=64):
        rows = [[self.bos_id] + [b + 2 for b in s.encode()[: max_len - 1]] for s in snippets]
        L = max(map(len, rows))
        return torch.tensor([r + [self.pad_id] * (L - len(r)) for r in rows])


class CodeCompletionModule(nn.Module):
    def __init__(self, vocab=258, d_model=64, nhead=4, layers=2, max_len=256, lr=3e-4):
        super().__init__()
        self.lr = lr
        self.embed = nn.Embedding(vocab, d_model, padding_idx=ByteTokenizer.pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, 0.1, activation="gelu", batch_first=True)
        self.backbone = nn.TransformerEncoder(enc_layer, layers)
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, tokens):
        pad = tokens.eq(ByteTokenizer.pad_id)
        x = self.embed(tokens) * math.sqrt(self.embed.embedding_dim)
        x = x + self.pos(torch.arange(tokens.size(1), device=tokens.device))
        x = self.backbone(x, src_key_padding_mask=pad)  # expect: ML401
        return self.lm_head(x)

    def _shared_step(self, tokens):
        logits = self(tokens[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), tokens[:, 1:], ignore_index=ByteTokenizer.pad_id)

    def training_step(self, batch, batch_idx):
        return self._shared_step(batch)

    def validation_step(self, batch, batch_idx):
        return {"val_loss": self._shared_step(batch)}

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.lr)

    @torch.no_grad()
    def complete(self, prefix: torch.Tensor, n_new: int = 8):
        for _ in range(n_new):
            nxt = self(prefix)[:, -1].argmax(-1, keepdim=True)
            prefix = torch.cat([prefix, nxt], 1)
        return prefix


if __name__ == "__main__":
    torch.manual_seed(0)
    tok = ByteTokenizer()
    batch = tok.encode_batch(["def add(a, b):\n    return a + b", "for i in range(10):"])
    module = CodeCompletionModule()
    opt = module.configure_optimizers()
    for step in range(2):
        loss = module.training_step(batch, step)
        opt.zero_grad(); loss.backward(); opt.step()
        print("step", step, "loss", round(loss.item(), 4))
    module.eval()
    print(module.complete(batch[:1, :5], 4).tolist())
