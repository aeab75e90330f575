"""De novo peptide sequencing decoder: amino-acid tokens attend to encoded spectrum peaks."""
import torch
from torch import nn


class PeptideDecoder(nn.Module):
    def __init__(self, dim_model=32, n_head=4, dim_feedforward=64, n_layers=2, n_tokens=28):
        super().__init__()
        self.aa_encoder = nn.Embedding(n_tokens, dim_model, padding_idx=0)
        layer = nn.TransformerDecoderLayer(
            d_model=dim_model, nhead=n_head, dim_feedforward=dim_feedforward, batch_first=True, dropout=0.0
        )
        self.transformer_decoder = nn.TransformerDecoder(layer, num_layers=n_layers)
        self.final = nn.Linear(dim_model, n_tokens)

    def forward(self, tokens, memory, memory_key_padding_mask):
        tgt_key_padding_mask = tokens == 0
        tgt = self.aa_encoder(tokens)
        tgt_mask = ~torch.tril(torch.ones(tokens.shape[1], tokens.shape[1], dtype=torch.bool))
        preds = self.transformer_decoder(
            tgt=tgt,
            memory=memory,
            tgt_mask=tgt_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
        )
        return self.final(preds)


if __name__ == "__main__":
    torch.manual_seed(0)
    dec = PeptideDecoder()
    tokens = torch.tensor([[3, 5, 7, 9, 0], [4, 6, 0, 0, 0]])
    memory = torch.randn(2, 10, 32)
    mem_mask = torch.zeros(2, 10, dtype=torch.bool)
    mem_mask[1, 7:] = True
    print(dec(tokens, memory, mem_mask).shape)
