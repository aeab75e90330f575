import math

import torch
from torch import nn


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.d_model = d_model
        self.src_tok_emb = nn.Embedding(src_vocab, d_model)
        self.tgt_tok_emb = nn.Embedding(tgt_vocab, d_model)
        self.positional = nn.Embedding(128, d_model)
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead, num_encoder_layers=num_layers, num_decoder_layers=num_layers,
            dim_feedforward=64, dropout=0.0, batch_first=True,
        )
        self.generator = nn.Linear(d_model, tgt_vocab)

    def embed(self, emb, tokens):
        return emb(tokens) * math.sqrt(self.d_model) + self.positional(torch.arange(tokens.shape[1]))

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.shape[1])
        out = self.transformer(self.embed(self.src_tok_emb, src), self.embed(self.tgt_tok_emb, tgt), tgt_mask=tgt_mask)
        return self.generator(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqTransformer(40, 40).train()
    src = torch.randint(1, 40, (4, 9))
    tgt = torch.randint(1, 40, (4, 6))
    tgt2 = tgt.clone()
    tgt2[:, 3:] = torch.randint(1, 40, (4, 3))
    try:
        with torch.no_grad():
            d = (model(src, tgt)[:, :3] - model(src, tgt2)[:, :3]).abs().max().item()
        print(f"ok: decoder future leak after editing target 3.. = {d:.4f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
