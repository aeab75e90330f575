"""Text classifier that takes Hugging Face tokenizer output (attention_mask: 1 = token) and
feeds nn.MultiheadAttention through keyword arguments."""
import torch
import torch.nn as nn


class AttnPoolLayer(nn.Module):
    def __init__(self, d=128, heads=4):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, x, **mask_kwargs):
        h, _ = self.mha(x, x, x, need_weights=False, **mask_kwargs)
        return self.norm(x + h)


class Classifier(nn.Module):
    def __init__(self, vocab=30522, d=128, n_labels=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(AttnPoolLayer(d) for _ in range(2))
        self.cls = nn.Linear(d, n_labels)

    def forward(self, input_ids, attention_mask):
        mask_kwargs = {"key_padding_mask": attention_mask == 0}
        x = self.emb(input_ids)
        for layer in self.layers:
            x = layer(x, **mask_kwargs)
        w = attention_mask.unsqueeze(-1).float()
        return self.cls((x * w).sum(1) / w.sum(1))


if __name__ == "__main__":
    batch = {"input_ids": torch.randint(0, 30522, (2, 8)), "attention_mask": torch.tensor([[1] * 8, [1] * 5 + [0] * 3])}
    m = Classifier().eval()
    with torch.no_grad():
        out = m(**batch)
        ids2 = batch["input_ids"].clone()
        ids2[1, 6] = 7
        out2 = m(ids2, batch["attention_mask"])
    print("pads ignored:", torch.allclose(out[1], out2[1], atol=1e-5))
