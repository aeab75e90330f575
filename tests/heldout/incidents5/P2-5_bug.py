"""Peptide sequencing: spectrum encoder, autoregressive peptide decoder, beam search."""
import torch
import torch.nn as nn


class PeptideTransformer(nn.Module):
    def __init__(self, n_aa=28, dim=64, nhead=4, n_layers=2, max_len=30):
        super().__init__()
        self.peak_enc = nn.Linear(2, dim)
        self.aa_emb = nn.Embedding(n_aa, dim, padding_idx=0)
        self.pos = nn.Embedding(max_len + 1, dim)
        enc_layer = nn.TransformerEncoderLayer(dim, nhead, 128, 0.0, batch_first=True)
        dec_layer = nn.TransformerDecoderLayer(dim, nhead, 128, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, n_layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec_layer, n_layers)
        self.final = nn.Linear(dim, n_aa)

    def encode(self, spectra):
        mem_mask = ~spectra.sum(dim=2).bool()
        return self.encoder(self.peak_enc(spectra), src_key_padding_mask=mem_mask), mem_mask

    def decode(self, tokens, memory, mem_mask):
        L = tokens.shape[1]
        tgt = self.aa_emb(tokens) + self.pos(torch.arange(L, device=tokens.device))
        tgt_key_padding_mask = tokens == 0
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(L, device=tokens.device)  # BUG
        h = self.decoder(
            tgt, memory, tgt_mask=tgt_mask, tgt_key_padding_mask=tgt_key_padding_mask,  # BUG
            memory_key_padding_mask=mem_mask,
        )
        return self.final(h)

    def forward(self, spectra, tokens):
        memory, mem_mask = self.encode(spectra)
        return self.decode(tokens, memory, mem_mask)

    @torch.no_grad()
    def beam_search(self, spectra, bos=1, eos=2, beam=3, max_len=8):
        memory, mem_mask = self.encode(spectra)
        b = spectra.shape[0]
        memory = memory.repeat_interleave(beam, 0)
        mem_mask = mem_mask.repeat_interleave(beam, 0)
        seqs = torch.full((b * beam, 1), bos, dtype=torch.long)
        scores = torch.zeros(b, beam)
        scores[:, 1:] = float("-inf")
        for step in range(max_len):
            logp = self.decode(seqs, memory, mem_mask)[:, -1].log_softmax(-1)
            cand = (scores.view(-1, 1) + logp).view(b, -1)
            scores, idx = cand.topk(beam, dim=-1)
            origin = (idx // logp.shape[-1]) + torch.arange(b)[:, None] * beam
            seqs = torch.cat([seqs[origin.view(-1)], (idx % logp.shape[-1]).view(-1, 1)], dim=1)
            if (seqs[:, -1] == eos).all():
                break
        return seqs.view(b, beam, -1)[:, 0], scores[:, 0]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PeptideTransformer().eval()
    spectra = torch.rand(2, 10, 2)
    spectra[1, 7:] = 0.0
    tokens = torch.tensor([[1, 5, 6, 7], [1, 8, 0, 0]])
    print(model(spectra, tokens).shape)
    print(model.beam_search(spectra)[0].shape)
