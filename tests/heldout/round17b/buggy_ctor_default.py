"""On-device next-word suggestion for a mobile keyboard."""
import torch
from torch import nn


class SuggestionModel(nn.Module):
    def __init__(self, vocab, dim=64, heads=4, layers=2, causal=False, max_len=64):
        super().__init__()
        self.causal = causal
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(dim, vocab)
        self.register_buffer("future", torch.triu(torch.ones(max_len, max_len, dtype=torch.bool), 1))

    def forward(self, words):
        n = words.size(1)
        x = self.emb(words) + self.pos(torch.arange(n, device=words.device))
        mask = self.future[:n, :n] if self.causal else None
        return self.out(self.encoder(x, mask=mask))  # expect: ML401


def train(corpus, vocab, epochs=2):
    model = SuggestionModel(vocab, layers=3)
    opt = torch.optim.AdamW(model.parameters(), 5e-4)
    for _ in range(epochs):
        for sentence in corpus:
            logits = model(sentence[:, :-1])
            loss = nn.functional.cross_entropy(logits.reshape(-1, vocab), sentence[:, 1:].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model


def suggest(model, typed, k=3):
    model.eval()
    with torch.no_grad():
        return model(typed)[:, -1].topk(k).indices


if __name__ == "__main__":
    torch.manual_seed(0)
    vocab = 500
    corpus = [torch.randint(0, vocab, (16, 12)) for _ in range(4)]
    model = train(corpus, vocab)
    print(suggest(model, corpus[0][:2, :5]))
