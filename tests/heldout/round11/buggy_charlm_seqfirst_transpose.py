"""Character-level LM on a seq-first nn.TransformerEncoder (legacy layout kept for old checkpoints)."""
import torch
import torch.nn as nn

CONFIG = dict(batch_size=16, block_size=16, d_model=128, nhead=4, nlayers=3, lr=1e-3)


class CharLM(nn.Module):
    def __init__(self, vocab, d_model, nhead, nlayers, block_size):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.zeros(block_size, 1, d_model))
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, idx):
        x = self.tok(idx).transpose(0, 1)
        x = x + self.pos[: x.size(0)]
        causal = nn.Transformer.generate_square_subsequent_mask(x.size(1), device=idx.device)
        h = self.encoder(x, mask=causal)  # expect: ML303
        return self.lm_head(h.transpose(0, 1))


def batches(data, batch_size, block_size):
    while True:
        ix = torch.randint(len(data) - block_size - 1, (batch_size,))
        x = torch.stack([data[i : i + block_size] for i in ix])
        y = torch.stack([data[i + 1 : i + block_size + 1] for i in ix])
        yield x, y


if __name__ == "__main__":
    text = "to be, or not to be, that is the question: " * 40
    chars = sorted(set(text))
    data = torch.tensor([chars.index(c) for c in text])
    cfg = CONFIG
    model = CharLM(len(chars), cfg["d_model"], cfg["nhead"], cfg["nlayers"], cfg["block_size"])
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
    stream = batches(data, cfg["batch_size"], cfg["block_size"])
    for step in range(3):
        x, y = next(stream)
        loss = nn.functional.cross_entropy(model(x).reshape(-1, len(chars)), y.reshape(-1))
        opt.zero_grad(); loss.backward(); opt.step()
    print(step, loss.item())
