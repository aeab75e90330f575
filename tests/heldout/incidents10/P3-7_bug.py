"""Reproducer-style script (pytorch#25129): TransformerEncoder with a key
padding mask allocated as (seq_len, batch).  With batch 1 torch raises
(AssertionError on key_padding_mask shape)."""
import torch
import torch.nn as nn

seq_len, batch_size, d_model = 2, 1, 8

encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead=2, dropout=0.0), num_layers=1,
                                enable_nested_tensor=False)

if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(seq_len, batch_size, d_model)
    mask = torch.zeros(seq_len, batch_size, dtype=torch.bool)  # BUG
    out = encoder(x, src_key_padding_mask=mask)
    print("output shape:", tuple(out.shape), "| NaN:", bool(out.isnan().any()))
