"""ASR transformer: encoder, decoder and batched beam search over padded utterances."""
import torch
import torch.nn as nn


class TransformerASR(nn.Module):
    def __init__(self, n_feats=20, vocab=30, d_model=32, nhead=4, layers=2, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.src_proj = nn.Linear(n_feats, d_model)
        self.tok_emb = nn.Embedding(vocab, d_model, padding_idx=pad_idx)
        enc = nn.TransformerEncoderLayer(d_model, nhead, 64, 0.0, batch_first=True)
        dec = nn.TransformerDecoderLayer(d_model, nhead, 64, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, layers)
        self.out = nn.Linear(d_model, vocab)

    @staticmethod
    def make_src_key_padding_mask(wav_lens, T):
        abs_len = torch.round(wav_lens * T)
        return torch.arange(T)[None, :] >= abs_len[:, None]

    def encode(self, feats, wav_lens):
        src_kpm = self.make_src_key_padding_mask(wav_lens, feats.shape[1])
        return self.encoder(self.src_proj(feats), src_key_padding_mask=src_kpm), src_kpm

    def decode(self, tgt, memory, enc_kpm=None):
        L = tgt.shape[1]
        causal = torch.triu(torch.ones(L, L, dtype=torch.bool), 1)
        h = self.decoder(self.tok_emb(tgt), memory, tgt_mask=causal,
                         tgt_key_padding_mask=tgt == self.pad_idx, memory_key_padding_mask=enc_kpm)
        return self.out(h)

    def forward(self, feats, wav_lens, tokens_bos):
        memory, src_kpm = self.encode(feats, wav_lens)
        return self.decode(tokens_bos, memory, src_kpm)

    @torch.no_grad()
    def beam_search(self, feats, wav_lens, bos=1, eos=2, beam=3, max_len=6):
        memory, src_kpm = self.encode(feats, wav_lens)
        B = feats.shape[0]
        memory = memory.repeat_interleave(beam, dim=0)
        src_kpm = src_kpm.repeat_interleave(beam, dim=0)
        seqs = torch.full((B * beam, 1), bos, dtype=torch.long)
        scores = torch.zeros(B, beam)
        scores[:, 1:] = float("-inf")
        for step in range(max_len):
            logp = self.decode(seqs, memory, enc_kpm=src_kpm).log_softmax(-1)[:, -1]
            V = logp.shape[-1]
            cand = (scores.view(-1, 1) + logp).view(B, beam * V)
            scores, idx = cand.topk(beam, dim=-1)
            origin = (idx // V + torch.arange(B)[:, None] * beam).view(-1)
            seqs = torch.cat([seqs[origin], (idx % V).view(-1, 1)], dim=1)
        return seqs.view(B, beam, -1)[:, 0]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerASR().eval()
    feats = torch.randn(2, 12, 20)
    wav_lens = torch.tensor([1.0, 0.5])
    batched = model.beam_search(feats, wav_lens)
    single = model.beam_search(feats[1:, :6], torch.tensor([1.0]))
    print("batched == single:", torch.equal(batched[1], single[0]))
