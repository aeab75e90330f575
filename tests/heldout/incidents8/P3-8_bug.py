import torch
import torch.nn as nn

SMILES_VOCAB = ["<pad>", "<sos>", "<eos>", "C", "c", "O", "N", "(", ")", "=", "1", "2"]


class MoleculeTransformer(nn.Module):
    def __init__(self, vocab_size=len(SMILES_VOCAB), d_model=32, nhead=4, num_layers=2, max_len=64):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.pos_embedding = nn.Embedding(max_len, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=64)  # BUG
        dec_layer = nn.TransformerDecoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=64)  # BUG
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers=num_layers)
        self.decoder = nn.TransformerDecoder(dec_layer, num_layers=num_layers)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def embed(self, tokens):
        positions = torch.arange(tokens.size(1), device=tokens.device).unsqueeze(0)
        return self.embedding(tokens) + self.pos_embedding(positions)

    def forward(self, src, tgt):
        # src, tgt: (batch, seq_len)
        src_emb = self.embed(src)
        tgt_emb = self.embed(tgt)
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(0)).to(src.device)  # BUG
        memory = self.encoder(src_emb)  # BUG
        out = self.decoder(tgt_emb, memory, tgt_mask=tgt_mask)  # BUG
        return self.fc_out(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoleculeTransformer()
    src = torch.randint(3, len(SMILES_VOCAB), (6, 5))
    tgt = torch.randint(3, len(SMILES_VOCAB), (6, 6))
    logits = model(src, tgt[:, :-1])
    print(logits.shape)
