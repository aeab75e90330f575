"""Attention-based ASR: transformer encoder over filterbank frames and a
transformer decoder over subword tokens (seq-first tensors)."""
import torch
import torch.nn as nn


def make_len_pad_mask(lengths, max_len):
    """(N,) -> (N, max_len) bool, True on padded frames / tokens."""
    return torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]


class ASRTransformer(nn.Module):
    def __init__(self, n_feats=80, vocab=5000, d_model=256, nhead=4, enc_layers=12, dec_layers=6,
                 sos=1, eos=2):
        super().__init__()
        self.sos, self.eos = sos, eos
        self.front = nn.Linear(n_feats, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 2048, 0.1), enc_layers)
        self.embed = nn.Embedding(vocab, d_model)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 2048, 0.1), dec_layers)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, feats, feat_lens, tokens, token_lens):
        # feats: (T, N, F); tokens: (U, N) starting with <sos>
        src_pad = make_len_pad_mask(feat_lens, feats.size(0))
        tgt_pad = make_len_pad_mask(token_lens, tokens.size(0))
        memory = self.encoder(self.front(feats), src_key_padding_mask=src_pad)
        U = tokens.size(0)
        causal = torch.triu(torch.full((U, U), float("-inf"), device=feats.device), diagonal=1)
        dec = self.decoder(
            self.embed(tokens),
            memory,
            tgt_mask=causal,
            tgt_key_padding_mask=src_pad,  # expect: ML503
            memory_key_padding_mask=src_pad,
        )
        return self.out(dec)

    @torch.no_grad()
    def greedy_search(self, feats, feat_lens, max_len=200):
        src_pad = make_len_pad_mask(feat_lens, feats.size(0))
        memory = self.encoder(self.front(feats), src_key_padding_mask=src_pad)
        N = feats.size(1)
        hyp = torch.full((1, N), self.sos, dtype=torch.long, device=feats.device)
        for _ in range(max_len):
            U = hyp.size(0)
            causal = torch.triu(torch.full((U, U), float("-inf"), device=feats.device), diagonal=1)
            dec = self.decoder(self.embed(hyp), memory, tgt_mask=causal)  # expect: ML502
            nxt = self.out(dec[-1]).argmax(-1)
            hyp = torch.cat([hyp, nxt[None]], dim=0)
            if (nxt == self.eos).all():
                break
        return hyp[1:].t()
