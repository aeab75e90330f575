"""Reproducer-style script (pytorch#86120): HF-style 1/0 integer padding mask
handed to nn.TransformerEncoder.  Torch raises on the bug (E1 AssertionError:
only bool and floating types of key_padding_mask are supported)."""
import torch
import torch.nn as nn

PAD_ID = 0

encoder_layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, batch_first=True, dropout=0.0)
encoder = nn.TransformerEncoder(encoder_layer, num_layers=2, enable_nested_tensor=False)
embedding = nn.Embedding(20, 8, padding_idx=PAD_ID)


def encode(input_ids):
    src_key_padding_mask = (input_ids != PAD_ID).long()  # BUG
    return encoder(embedding(input_ids), src_key_padding_mask=src_key_padding_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.tensor([[3, 5, 0, 0], [4, 2, 7, 9]])
    encoder.train()
    train_out = encode(ids)
    encoder.eval()
    with torch.no_grad():
        eval_out = encode(ids)
    print("train vs eval max diff on real tokens:", (train_out[1] - eval_out[1]).abs().max().item())
