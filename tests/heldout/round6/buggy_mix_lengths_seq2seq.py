"""Speech-feature seq2seq: lengths become masks with a sequence_mask helper."""
import torch
import torch.nn as nn


def sequence_mask(lengths, maxlen=None, dtype=torch.bool):
    maxlen = maxlen or int(lengths.max())
    row = torch.arange(maxlen, device=lengths.device)
    return (row[None, :] < lengths[:, None]).to(dtype)


class ListenSpell(nn.Module):
    def __init__(self, n_mels=16, vocab=30, d=32, nhead=4):
        super().__init__()
        self.front = nn.Linear(n_mels, d)
        self.emb = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True), 2,
                                         enable_nested_tensor=False)
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, nhead, 64, 0.0, batch_first=True), 2)
        self.out = nn.Linear(d, vocab)

    def forward(self, feats, feat_lens, tokens, token_lens):
        src_pad = ~sequence_mask(feat_lens, feats.size(1))
        tgt_pad = ~sequence_mask(token_lens, tokens.size(1))
        T = tokens.size(1)
        causal = torch.ones(T, T, dtype=torch.bool, device=tokens.device).triu(1)
        memory = self.enc(self.front(feats), src_key_padding_mask=src_pad)
        h = self.dec(  # expect: ML502
            self.emb(tokens),
            memory,
            tgt_mask=causal,
            tgt_key_padding_mask=tgt_pad,
        )
        return self.out(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = ListenSpell().train()
    feats = torch.randn(2, 8, 16)
    toks = torch.randint(0, 30, (2, 4))
    a = m(feats, torch.tensor([8, 4]), toks, torch.tensor([4, 4]))
    feats2 = feats.clone(); feats2[1, 4:] = torch.randn(4, 16)
    b = m(feats2, torch.tensor([8, 4]), toks, torch.tensor([4, 4]))
    print("decoder reads padded frames:", (a[1] - b[1]).abs().max().item() > 1e-5)
