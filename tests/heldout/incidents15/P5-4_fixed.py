import math

import torch
import torch.nn as nn

PAD_IDX = 0


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(1, max_len, d_model)
        pe[0, :, 0::2] = torch.sin(position * div_term)
        pe[0, :, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[:, :x.size(1)]


class MoleculeTransformer(nn.Module):
    def __init__(self, vocab_size=30, d_model=16, nhead=2, num_layers=1):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD_IDX)
        self.pos_encoder = PositionalEncoding(d_model)
        self.transformer = nn.Transformer(d_model=d_model, nhead=nhead, num_encoder_layers=num_layers,
                                          num_decoder_layers=num_layers, dim_feedforward=32, dropout=0.0,
                                          batch_first=True)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(1)).bool()
        src_padding_mask = src == PAD_IDX
        tgt_padding_mask = tgt == PAD_IDX
        src_emb = self.pos_encoder(self.embedding(src))
        tgt_emb = self.pos_encoder(self.embedding(tgt))
        output = self.transformer(src_emb, tgt_emb, tgt_mask=tgt_mask, src_key_padding_mask=src_padding_mask, tgt_key_padding_mask=tgt_padding_mask, memory_key_padding_mask=src_padding_mask)  # BUG
        return self.fc_out(output)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoleculeTransformer().train()
    src = torch.tensor([[5, 6, 7, PAD_IDX, PAD_IDX], [8, 9, 10, 11, 12]])
    tgt = torch.tensor([[1, 5, 6, 7, 2], [1, 8, 9, 10, 11]])
    logits = model(src, tgt)
    model.embedding.weight.data[PAD_IDX] += 1.0
    logits2 = model(src, tgt)
    print(f"molecule 0 logits change when the PAD embedding changes: {(logits[0] - logits2[0]).abs().max().item():.4f}")
