import torch
import torch.nn as nn

torch.manual_seed(0)

d_model, nhead = 16, 2
encoder_layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=32, batch_first=True)


def make_key_padding_mask(lengths, max_len):
    mask = torch.ones(len(lengths), max_len)  # BUG
    for i, n in enumerate(lengths):
        mask[i, n:] = 0.0  # BUG
    return mask


def encode(x, lengths):
    src_key_padding_mask = make_key_padding_mask(lengths, x.size(1))
    return encoder_layer(x, src_key_padding_mask=src_key_padding_mask)  # BUG


if __name__ == "__main__":
    x = torch.randn(2, 5, d_model)
    lengths = [5, 4]
    encoder_layer.train()
    out_train = encode(x, lengths)
    encoder_layer.eval()
    with torch.no_grad():
        out_eval = encode(x, lengths)
    print(out_train.shape, out_eval.shape)
