"""Lyrics LM, batch_first: the causal mask is sized from dim 1 (time), dim 0 is the batch."""
import torch
import torch.nn as nn


class LyricsLM(nn.Module):
    def __init__(self, vocab=300, d=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.body = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 128, batch_first=True), layers)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        bsz, seqlen = ids.shape
        mask = nn.Transformer.generate_square_subsequent_mask(ids.size(1), device=ids.device)
        return self.head(self.body(self.emb(ids), mask=mask, is_causal=True))


def train(model, batches, lr=1e-3):
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    for ids in batches:
        logits = model(ids[:, :-1])
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


@torch.no_grad()
def continue_lyrics(model, ids, n=8):
    model.eval()
    for _ in range(n):
        ids = torch.cat([ids, model(ids)[:, -1:].argmax(-1)], 1)
    return ids


if __name__ == "__main__":
    m = LyricsLM()
    print(m(torch.randint(0, 300, (4, 11))).shape)
