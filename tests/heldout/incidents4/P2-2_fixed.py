import torch
import torch.nn as nn

D_MODEL = 16
N_HEAD = 4
BATCH = 3
SEQ = 6


def build_layer(seed=0):
    torch.manual_seed(seed)
    return nn.TransformerEncoderLayer(
        d_model=D_MODEL, nhead=N_HEAD, dim_feedforward=32, dropout=0.0, batch_first=True
    )


def make_inputs():
    torch.manual_seed(1)
    src = torch.randn(BATCH, SEQ, D_MODEL)
    src_key_padding_mask = torch.zeros(BATCH, SEQ, dtype=torch.bool)
    src_key_padding_mask[:, -1] = True
    return src, src_key_padding_mask


def run(layer, src, mask, train_mode):
    layer.train(train_mode)
    with torch.no_grad():
        return layer(src, src_key_padding_mask=mask)


def pad_sensitivity(layer, src, mask):
    noisy = src.clone()
    noisy[:, -1] += 10.0
    base = run(layer, src, mask, train_mode=False)
    moved = run(layer, noisy, mask, train_mode=False)
    return (base[:, :-1] - moved[:, :-1]).abs().max().item()


if __name__ == "__main__":
    layer = build_layer()
    src, mask = make_inputs()
    out_train = run(layer, src, mask, train_mode=True)
    out_eval = run(layer, src, mask, train_mode=False)
    print("train/eval max diff:", (out_train - out_eval).abs().max().item())
    print("non-pad outputs affected by pad token:", pad_sensitivity(layer, src, mask))
    print("any nan:", bool(torch.isnan(out_eval).any()))
