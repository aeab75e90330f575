import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2


class TransformerVAE(nn.Module):
    def __init__(self, vocab_size=40, d_model=32, nhead=4, num_layers=2, latent_dim=8, max_len=24):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        self.transformer = nn.Transformer(
            d_model, nhead, num_layers, num_layers, dim_feedforward=64, dropout=0.0, batch_first=True
        )
        self.to_latent = nn.Linear(d_model, 2 * latent_dim)
        self.from_latent = nn.Linear(latent_dim, d_model)
        self.out = nn.Linear(d_model, vocab_size)

    def _embed(self, tokens):
        return self.embed(tokens) + self.pos[:, : tokens.size(1)]

    def forward(self, src, tgt):
        src_emb, tgt_emb = self._embed(src), self._embed(tgt)
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(1))
        src_pad, tgt_pad = src == PAD, tgt == PAD
        memory = self.transformer.encoder(src_emb, src_key_padding_mask=src_pad)
        keep = (~src_pad).unsqueeze(-1).float()
        mu, logvar = self.to_latent((memory * keep).sum(1) / keep.sum(1)).chunk(2, -1)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        memory = memory + self.from_latent(z).unsqueeze(1)
        dec = self.transformer.decoder(
            tgt_emb, memory, tgt_mask=tgt_mask, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad
        )
        return self.out(dec), mu, logvar


def batchify(smiles_ids, max_len=12):
    batch = torch.full((len(smiles_ids), max_len), PAD)
    for i, ids in enumerate(smiles_ids):
        seq = [BOS] + ids + [EOS]
        batch[i, : len(seq)] = torch.tensor(seq)
    return batch


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerVAE().eval()
    batch = batchify([[5, 9, 9, 12, 7], [6, 6, 20, 11, 8, 13, 15, 4]])
    with torch.no_grad():
        torch.manual_seed(1)
        logits, mu, _ = model(batch, batch[:, :-1])
        longer = batchify([[5, 9, 9, 12, 7], [6, 6, 20, 11, 8, 13, 15, 4]], max_len=16)
        torch.manual_seed(1)
        logits2, mu2, _ = model(longer, longer[:, :-1])
    print(logits.shape)
    print("latent mean changes with the amount of padding:", (mu - mu2).abs().max().item())
