import torch
import torch.nn as nn

d_model = 10
n_head = 5
batch_size = 5
_record = 50

torch.manual_seed(0)
_encoder_layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=n_head, dropout=0.0, batch_first=True)
torch.manual_seed(0)
feature_value = torch.randn(batch_size, _record, d_model)


def build_padding_mask(n_rows, n_valid):
    """Mask for a batch where the last (n_rows - n_valid) records are padding."""
    _mask = torch.zeros(batch_size, n_rows, dtype=torch.bool)
    _mask[:, n_valid:] = True
    return _mask


if __name__ == "__main__":
    _mask = build_padding_mask(_record, _record - 1)  # mask the last row for each batch
    _encoder_layer.eval()
    with torch.no_grad():
        # prediction includes the last row but masks it
        result1 = _encoder_layer(feature_value, src_key_padding_mask=_mask)
        # prediction without mask and excluding the last row
        result2 = _encoder_layer(feature_value[:, :-1, :])
    print(result1.shape, result2.shape)
    print("max |masked - truncated|:", (result1[:, :-1] - result2).abs().max().item())

    _encoder_layer.train()
    result3 = _encoder_layer(feature_value, src_key_padding_mask=_mask)
    print("train-mode max |masked - truncated|:", (result3[:, :-1] - result2).abs().max().item())
