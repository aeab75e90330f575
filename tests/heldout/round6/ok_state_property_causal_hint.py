"""LM whose causal mask is a property; it is passed together with the matching is_causal hint."""
import torch
import torch.nn as nn


class CausalEncoderLM(nn.Module):
    def __init__(self, vocab=50, d=32, nhead=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.head = nn.Linear(d, vocab)
        self._T = None

    @property
    def causal_mask(self) -> torch.Tensor:
        return nn.Transformer.generate_square_subsequent_mask(self._T, device=self.emb.weight.device)

    def forward(self, ids):
        self._T = ids.size(1)
        h = self.encoder(self.emb(ids), mask=self.causal_mask, is_causal=True)
        return self.head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = CausalEncoderLM()
    a = torch.randint(0, 50, (2, 6)); b = a.clone(); b[:, -1] = (b[:, -1] + 1) % 50
    for mode in (m.train, m.eval):
        mode()
        with torch.no_grad():
            assert torch.allclose(m(a)[:, :-1], m(b)[:, :-1], atol=1e-5)
    print("causal ok in train and eval")
