"""Token-level code completion decoder built on nn.MultiheadAttention (CodeGPT-like layout)."""
import torch
from torch import nn


class DecoderLayer(nn.Module):
    def __init__(self, d_model: int, n_head: int, d_ff: int, p: float = 0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, n_head, dropout=p, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d_model, d_ff), nn.GELU(), nn.Linear(d_ff, d_model))
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.drop = nn.Dropout(p)

    def forward(self, x, attn_mask, pad_mask):
        h = self.norm1(x)
        h, _ = self.self_attn(h, h, h, attn_mask=attn_mask, key_padding_mask=pad_mask, need_weights=False)  # expect: ML101
        x = x + self.drop(h)
        return x + self.drop(self.ff(self.norm2(x)))


class CodeCompletionModel(nn.Module):
    def __init__(self, vocab_size=5000, d_model=128, n_head=4, n_layer=3, max_pos=512, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.wte = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.wpe = nn.Embedding(max_pos, d_model)
        self.layers = nn.ModuleList(
            [DecoderLayer(d_model, n_head, 4 * d_model) for _ in range(n_layer)]
        )
        self.ln_f = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight
        self.register_buffer(
            "visible", torch.tril(torch.ones(max_pos, max_pos, dtype=torch.bool)), persistent=False
        )

    def forward(self, input_ids):
        bsz, seqlen = input_ids.shape
        pos = torch.arange(seqlen, device=input_ids.device)
        x = self.wte(input_ids) + self.wpe(pos)
        attn_mask = self.visible[:seqlen, :seqlen]
        pad_mask = input_ids.eq(self.pad_id)
        for layer in self.layers:
            x = layer(x, attn_mask, pad_mask)
        return self.lm_head(self.ln_f(x))

    @torch.no_grad()
    def complete(self, prefix, steps=8):
        ids = prefix
        for _ in range(steps):
            nxt = self(ids)[:, -1].argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], dim=1)
        return ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CodeCompletionModel()
    batch = torch.randint(1, 5000, (3, 24))
    batch[2, 20:] = 0
    logits = model(batch)
    loss = nn.functional.cross_entropy(
        logits[:, :-1].reshape(-1, logits.size(-1)), batch[:, 1:].reshape(-1), ignore_index=0
    )
    print(logits.shape, loss.item())
    model.eval()
    print(model.complete(batch[:1, :10], steps=4).shape)
