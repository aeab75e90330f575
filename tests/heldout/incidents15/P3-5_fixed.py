import math

import torch
import torch.nn as nn


class Seq2SeqTransformer(nn.Module):
    def __init__(self, vocab_size=30, d_model=16, nhead=2, num_layers=1):
        super().__init__()
        self.d_model = d_model
        self.src_embed = nn.Embedding(vocab_size, d_model)
        self.tgt_embed = nn.Embedding(vocab_size, d_model)
        self.transformer = nn.Transformer(d_model=d_model, nhead=nhead, num_encoder_layers=num_layers,
                                          num_decoder_layers=num_layers, dim_feedforward=32, dropout=0.0,
                                          batch_first=True)
        self.generator = nn.Linear(d_model, vocab_size)

    def forward(self, src, tgt):
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.shape[1])  # BUG
        src_emb = self.src_embed(src) * math.sqrt(self.d_model)
        tgt_emb = self.tgt_embed(tgt) * math.sqrt(self.d_model)
        out = self.transformer(src_emb, tgt_emb, tgt_mask=tgt_mask)
        return self.generator(out)


def train_step(model, optimizer, src, tgt):
    model.train()
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt[:, 1:].reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqTransformer()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    src, tgt = torch.randint(1, 30, (5, 6)), torch.randint(1, 30, (5, 6))
    train_step(model, optimizer, src, tgt)
    model.eval()
    try:
        with torch.no_grad():
            val_src, val_tgt = torch.randint(1, 30, (3, 6)), torch.randint(1, 30, (3, 5))
            logits = model(val_src, val_tgt)
            changed = val_tgt.clone()
            changed[:, 3:] = 1
            logits2 = model(val_src, changed)
        print(f"eval ok, future leak into positions 0-2: {(logits[:, :3] - logits2[:, :3]).abs().max().item():.4f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
