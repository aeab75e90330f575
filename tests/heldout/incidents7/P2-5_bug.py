"""De novo peptide sequencing decoder in the style of wfondrie/depthcharge (used by casanovo):
amino-acid tokens are decoded with nn.TransformerDecoder against encoded spectrum peaks."""
import torch
import torch.nn as nn
import torch.nn.functional as F

AA_VOCAB = ["$", "G", "A", "S", "P", "V", "T", "C", "L", "I", "N", "D", "Q", "K", "E", "M", "H", "F", "R", "Y", "W"]


def generate_tgt_mask(sz):
    mask = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)
    return mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, float(0.0))  # BUG


class SpectrumEncoder(nn.Module):
    def __init__(self, dim_model=32, n_head=4, n_layers=1):
        super().__init__()
        self.peak_encoder = nn.Linear(2, dim_model)
        layer = nn.TransformerEncoderLayer(dim_model, n_head, dim_feedforward=64, batch_first=True, dropout=0.0)
        self.transformer_encoder = nn.TransformerEncoder(layer, num_layers=n_layers)

    def forward(self, spectra):
        mask = spectra.sum(dim=2) == 0
        emb = self.peak_encoder(spectra)
        return self.transformer_encoder(emb, src_key_padding_mask=mask), mask


class PeptideDecoder(nn.Module):
    def __init__(self, dim_model=32, n_head=4, n_layers=1, max_charge=5):
        super().__init__()
        self.aa_encoder = nn.Embedding(len(AA_VOCAB) + 1, dim_model, padding_idx=0)
        self.charge_encoder = nn.Embedding(max_charge, dim_model)
        self.mass_encoder = nn.Linear(1, dim_model)
        layer = nn.TransformerDecoderLayer(dim_model, n_head, dim_feedforward=64, batch_first=True, dropout=0.0)
        self.transformer_decoder = nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = nn.Linear(dim_model, len(AA_VOCAB) + 1)

    def forward(self, tokens, precursors, memory, memory_key_padding_mask):
        masses = self.mass_encoder(precursors[:, None, [0]])
        charges = self.charge_encoder(precursors[:, 1].int() - 1)
        precursor_emb = masses + charges[:, None, :]
        tgt = torch.cat([precursor_emb, self.aa_encoder(tokens)], dim=1)
        tgt_key_padding_mask = tgt.sum(axis=2) == 0
        tgt_mask = generate_tgt_mask(tgt.shape[1])
        preds = self.transformer_decoder(tgt=tgt, memory=memory, tgt_mask=tgt_mask, tgt_key_padding_mask=tgt_key_padding_mask, memory_key_padding_mask=memory_key_padding_mask)  # BUG
        return self.final(preds)


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder, decoder = SpectrumEncoder(), PeptideDecoder()
    params = list(encoder.parameters()) + list(decoder.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    spectra = torch.rand(3, 10, 2)
    spectra[1, 7:] = 0.0
    precursors = torch.tensor([[800.4, 2.0], [650.3, 3.0], [1020.5, 2.0]])
    tokens = torch.randint(1, len(AA_VOCAB) + 1, (3, 6))
    tokens[2, 4:] = 0
    memory, mem_mask = encoder(spectra)
    logits = decoder(tokens, precursors, memory, mem_mask)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), tokens.reshape(-1), ignore_index=0)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", loss.item())
