import torch
import torch.nn as nn


class CharDecoder(nn.Module):
    """Single-block character-level decoder used for quick tokenizer-free experiments."""

    def __init__(self, vocab_size: int = 65, d_model: int = 64, nhead: int = 4):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(256, d_model)
        self.block = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model, batch_first=True)
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, idx):
        t = idx.size(1)
        x = self.tok(idx) + self.pos(torch.arange(t, device=idx.device))
        causal = nn.Transformer.generate_square_subsequent_mask(t, device=idx.device)
        x = self.block(x, src_mask=causal, is_causal=True)
        return self.lm_head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CharDecoder().eval()
    idx = torch.randint(0, 65, (2, 10))
    with torch.no_grad():
        logits = model(idx)
        changed = idx.clone()
        changed[:, -1] = (changed[:, -1] + 1) % 65
        logits2 = model(changed)
    print("prefix logits changed by editing the last char:", not torch.allclose(logits[:, :-1], logits2[:, :-1]))
