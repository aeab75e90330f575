import torch


def sliding_window_causal_mask(seq_len, window):
    """Float mask: each position sees itself and the previous `window - 1` positions only."""
    i = torch.arange(seq_len)
    allowed = (i[:, None] >= i[None, :]) & (i[:, None] - i[None, :] < window)
    return torch.zeros(seq_len, seq_len).masked_fill(~allowed, float("-inf"))


class LocalEncoder(torch.nn.Module):
    def __init__(self, d_model=4, window=3):
        super().__init__()
        self.window = window
        self.encoder = torch.nn.TransformerEncoderLayer(
            d_model, nhead=1, dim_feedforward=16, dropout=0.0, batch_first=True
        )

    def forward(self, x):
        mask = sliding_window_causal_mask(x.size(1), self.window)
        # the mask is causal, so tell PyTorch it can take the fast causal path
        return self.encoder(x, src_mask=mask, is_causal=True)  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    d_model, len_seq, batch_size = 4, 8, 2
    model = LocalEncoder(d_model)
    x = torch.randn(batch_size, len_seq, d_model)
    out = model(x)  # training mode
    x_far = x.clone()
    x_far[:, 0] = torch.randn(batch_size, d_model)  # position 0 is outside the window of position 7
    out_far = model(x_far)
    print(out.shape)
    print("position 7 reacts to position 0:", (out_far - out)[:, -1].abs().max().item())
