import torch
import torch.nn as nn


class MoleculeGenerator(nn.Module):
    def __init__(self, vocab_size: int, d_model: int = 256, nhead: int = 8, num_layers: int = 4, max_len: int = 120):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.pos_embedding = nn.Embedding(max_len, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=1024)  # BUG: batch_first defaults to False
        dec_layer = nn.TransformerDecoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=1024)  # BUG
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers=num_layers)
        self.decoder = nn.TransformerDecoder(dec_layer, num_layers=num_layers)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def embed(self, tokens: torch.Tensor) -> torch.Tensor:
        # tokens: (B, S) -> (B, S, E)
        positions = torch.arange(tokens.size(1), device=tokens.device).unsqueeze(0)
        return self.embedding(tokens) + self.pos_embedding(positions)

    def forward(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        memory = self.encoder(self.embed(src))
        out = self.decoder(self.embed(tgt), memory)
        return self.fc_out(out)


def train_step(model, batch, optimizer, pad_idx=0):
    src, tgt = batch
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(
        logits.reshape(-1, logits.size(-1)), tgt[:, 1:].reshape(-1), ignore_index=pad_idx
    )
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    model = MoleculeGenerator(vocab_size=45)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    smiles_src = torch.randint(1, 45, (32, 60))
    smiles_tgt = torch.randint(1, 45, (32, 61))
    print(train_step(model, (smiles_src, smiles_tgt), opt))
