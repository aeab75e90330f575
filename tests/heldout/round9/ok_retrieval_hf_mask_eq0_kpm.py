"""Dual-encoder retriever. The tokenizer gives an HF-style attention_mask (1 = keep); it is
converted with `== 0` before it goes to key_padding_mask (True = ignore)."""
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, vocab=300, d=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln = nn.LayerNorm(d)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        h, _ = self.mha(x, x, x, key_padding_mask=attention_mask == 0)
        h = self.ln(x + h)
        m = attention_mask[..., None].to(h.dtype)
        return nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = Encoder().eval()
    ids = torch.tensor([[12, 55, 71, 0, 0, 0], [5, 6, 7, 8, 9, 10]])
    am = (ids != 0).long()
    with torch.no_grad():
        batched = enc(ids, am)
        alone = enc(ids[:1, :3], am[:1, :3])
    assert torch.allclose(batched[0], alone[0], atol=1e-5), "padding changed the embedding"
    print("OK: query embedding is identical with or without padding")
