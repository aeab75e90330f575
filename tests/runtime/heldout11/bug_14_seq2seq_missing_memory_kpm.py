# EXPECT: bug
"""Grapheme-to-phoneme seq2seq: nn.TransformerEncoder + nn.TransformerDecoder (batch_first)."""
import torch
import torch.nn as nn

PAD = 0


class G2P(nn.Module):
    def __init__(self, n_graphemes=30, n_phonemes=40, d=32, heads=4, layers=2, dropout=0.1):
        super().__init__()
        self.src_emb = nn.Embedding(n_graphemes, d, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(n_phonemes, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.zeros(1, 32, d))
        enc_layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout, batch_first=True)
        dec_layer = nn.TransformerDecoderLayer(d, heads, 4 * d, dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, layers)
        self.decoder = nn.TransformerDecoder(dec_layer, layers)
        self.out = nn.Linear(d, n_phonemes)

    def encode(self, src):
        src_pad = src == PAD
        memory = self.encoder(self.src_emb(src) + self.pos[:, : src.size(1)], src_key_padding_mask=src_pad)
        return memory, src_pad

    def decode(self, tgt, memory):
        T = tgt.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T, device=tgt.device)
        tgt_pad = tgt == PAD
        h = self.decoder(self.tgt_emb(tgt) + self.pos[:, :T], memory, tgt_mask=causal, tgt_key_padding_mask=tgt_pad.float().masked_fill(tgt_pad, float("-inf")))  # BUG-SITE
        return self.out(h)

    def forward(self, src, tgt):
        memory, _ = self.encode(src)
        return self.decode(tgt, memory)


def pad_batch(seqs):
    n = max(len(s) for s in seqs)
    out = torch.full((len(seqs), n), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.tensor(s)
    return out


def run():
    torch.manual_seed(0)
    model = G2P()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    src = pad_batch([[3, 5, 7, 9, 11, 4, 2], [8, 6, 4], [12, 13, 14, 15, 2]])
    tgt = pad_batch([[1, 5, 6, 7, 8, 9, 2], [1, 10, 11, 2], [1, 20, 21, 22, 2]])
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    model.train()
    logits = model(src, tgt_in)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 40), tgt_out.reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(src, tgt_in)
    return [loss.detach(), ev]
