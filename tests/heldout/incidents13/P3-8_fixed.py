import torch
import torch.nn as nn


class MoleculeGenerator(nn.Module):
    """SMILES-to-SMILES model; the data loader yields (batch, seq_len) token tensors."""

    def __init__(self, vocab_size=30, d_model=32, nhead=4, num_layers=1, max_len=16):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)  # BUG
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)  # BUG
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec_layer, num_layers)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def embed(self, tokens):
        return self.embedding(tokens) + self.pos[:, : tokens.shape[1]]

    def forward(self, src, tgt):
        memory = self.encoder(self.embed(src))
        causal = torch.triu(torch.ones(tgt.shape[1], tgt.shape[1], dtype=torch.bool), 1)  # BUG
        out = self.decoder(self.embed(tgt), memory, tgt_mask=causal)
        return self.fc_out(out)


def train_step(model, opt, src, tgt):
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoleculeGenerator()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    src = torch.randint(1, 30, (4, 9))
    tgt = torch.randint(1, 30, (4, 10))
    loss = train_step(model, opt, src, tgt)
    model.eval()
    with torch.no_grad():
        base = model(src, tgt[:, :-1])
        other = src.clone()
        other[3] = torch.randint(1, 30, (9,))
        cross = (model(other, tgt[:, :-1])[0] - base[0]).abs().max().item()
    print(f"molecule 0 logits change when molecule 3 of the batch is replaced = {cross:.4f} (loss {loss:.3f})")
