"""depthcharge-style peptide decoder: nn.TransformerDecoder with a causal
tgt_mask and a bool tgt_key_padding_mask.  The bug is the float 0/-inf mask
next to a bool padding mask (deprecated, torch warns; results are correct)."""
import warnings

import torch


class PeptideDecoder(torch.nn.Module):
    def __init__(self, dim_model=16, n_head=2, dim_feedforward=32, n_layers=1, vocab=25):
        super().__init__()
        self.aa_encoder = torch.nn.Embedding(vocab, dim_model, padding_idx=0)
        layer = torch.nn.TransformerDecoderLayer(d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward,
                                                 batch_first=True, dropout=0.0)
        self.transformer_decoder = torch.nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = torch.nn.Linear(dim_model, vocab)

    def forward(self, tokens, memory, memory_key_padding_mask):
        tgt_key_padding_mask = tokens == 0
        tgt = self.aa_encoder(tokens)
        tgt_mask = generate_tgt_mask(tgt.shape[1]).to(tgt.device)
        preds = self.transformer_decoder(tgt=tgt, memory=memory, tgt_mask=tgt_mask,
                                         tgt_key_padding_mask=tgt_key_padding_mask,
                                         memory_key_padding_mask=memory_key_padding_mask)
        return self.final(preds)


def generate_tgt_mask(sz):
    mask = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)  # BUG
    mask = mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, 0.0)  # BUG
    return mask  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    dec = PeptideDecoder()
    tokens = torch.tensor([[3, 4, 5, 0], [6, 7, 8, 9]])
    memory = torch.randn(2, 6, 16)
    mem_pad = torch.zeros(2, 6, dtype=torch.bool)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        out = dec(tokens, memory, mem_pad)
    n = sum("mismatched key_padding_mask" in str(w.message) for w in rec)
    print("mismatched-mask warnings:", n, "| NaN:", bool(out.isnan().any()))
