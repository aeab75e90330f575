"""Character transliteration with an encoder-decoder transformer."""
import torch
from torch import nn

PAD, BOS, EOS = 0, 1, 2


class Transliterator(nn.Module):
    def __init__(self, src_vocab=40, tgt_vocab=40, d_model=32, nhead=4, layers=2, max_len=64):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, d_model, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec_layer, layers)
        self.out = nn.Linear(d_model, tgt_vocab)

    def embed(self, table, ids):
        return table(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, src, tgt):
        src_pad = src == PAD
        tgt_pad = tgt == PAD
        T = tgt.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=tgt.device), 1)
        memory = self.encoder(self.embed(self.src_emb, src), src_key_padding_mask=src_pad)
        y = self.embed(self.tgt_emb, tgt)
        h = self.decoder(y, memory, tgt_mask=causal, tgt_key_padding_mask=tgt_pad)  # expect: ML502
        return self.out(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    src = torch.tensor([[5, 6, 7, 8, EOS, PAD, PAD], [9, 10, 11, 12, 13, 14, EOS]])
    tgt = torch.tensor([[BOS, 15, 16, 17], [BOS, 18, 19, 20]])
    logits = Transliterator()(src, tgt)
    print(logits.shape, logits[0, -1, :4])
