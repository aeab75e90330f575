import math

import torch
from torch import nn, Tensor
from torch.nn import TransformerEncoder, TransformerEncoderLayer


class TransformerModel(nn.Module):
    def __init__(self, ntoken: int, d_model: int, nhead: int, d_hid: int, nlayers: int, dropout: float = 0.5):
        super().__init__()
        self.model_type = 'Transformer'
        encoder_layers = TransformerEncoderLayer(d_model, nhead, d_hid, dropout)
        self.transformer_encoder = TransformerEncoder(encoder_layers, nlayers, enable_nested_tensor=False)
        self.embedding = nn.Embedding(ntoken, d_model)
        self.d_model = d_model
        self.linear = nn.Linear(d_model, ntoken)

    def forward(self, src: Tensor, src_mask: Tensor = None) -> Tensor:
        """src: Tensor, shape ``[seq_len, batch_size]``; src_mask: ``[seq_len, seq_len]``"""
        src = self.embedding(src) * math.sqrt(self.d_model)
        output = self.transformer_encoder(src, src_mask)
        return self.linear(output)


def batchify(data: Tensor, bsz: int) -> Tensor:
    seq_len = data.size(0) // bsz
    data = data[:seq_len * bsz]
    return data.view(bsz, seq_len).t().contiguous()


bptt = 6


def get_batch(source: Tensor, i: int):
    seq_len = min(bptt, len(source) - 1 - i)
    data = source[i:i + seq_len]
    target = source[i + 1:i + 1 + seq_len].reshape(-1)
    return data, target


def evaluate(model: nn.Module, eval_data: Tensor):
    model.eval()
    src_mask = nn.Transformer.generate_square_subsequent_mask(bptt)
    with torch.no_grad():
        data, targets = get_batch(eval_data, 0)
        seq_len = data.size(0)
        output = model(data, src_mask[:seq_len, :seq_len])  # BUG
    return output


if __name__ == "__main__":
    torch.manual_seed(0)
    ntokens = 40
    model = TransformerModel(ntokens, d_model=16, nhead=2, d_hid=32, nlayers=2, dropout=0.0)
    val_data = batchify(torch.randint(0, ntokens, (40,)), 4)
    out = evaluate(model, val_data)
    altered = val_data.clone()
    altered[3:6] = torch.randint(0, ntokens, (3, 4))
    out2 = evaluate(model, altered)
    print(f"future-token leak into positions 0-2: {(out[:3] - out2[:3]).abs().max().item():.4f}")
