import warnings

import torch
import torch.nn as nn

warnings.filterwarnings("ignore", message="enable_nested_tensor is True")


class CharTransformer(nn.Module):
    def __init__(self, vocab_size=30, d_model=16, nhead=2, num_layers=1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.randn(64, 1, d_model) * 0.1)
        self.transformer = nn.Transformer(d_model, nhead, num_layers, num_layers, dim_feedforward=32, dropout=0.0)
        self.fc = nn.Linear(d_model, vocab_size)

    def forward(self, src, tgt):
        src = self.embed(src) + self.pos[:src.size(0)]
        tgt = self.embed(tgt) + self.pos[:tgt.size(0)]
        tgt_mask = None  # BUG
        out = self.transformer(src, tgt, tgt_mask=tgt_mask)
        return self.fc(out)


def generate(model, prompt, steps=5):
    model.eval()
    seq = prompt.clone()
    with torch.no_grad():
        for _ in range(steps):
            logits = model(prompt, seq)
            next_tok = logits[-1].argmax(-1).unsqueeze(0)
            seq = torch.cat([seq, next_tok], dim=0)
    return seq


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CharTransformer()
    data = torch.randint(0, 30, (9, 2))
    src, tgt_in = data[:-1], data[:-1]
    model.eval()
    with torch.no_grad():
        out = model(src, tgt_in)
        tgt_changed = tgt_in.clone()
        tgt_changed[4:] = torch.randint(0, 30, (4, 2))
        out2 = model(src, tgt_changed)
    print(f"decoder future leak into steps 0-3: {(out[:4] - out2[:4]).abs().max().item():.4f}")
    generate(model, data[:3])
