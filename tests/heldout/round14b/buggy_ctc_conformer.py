import torch
import torch.nn as nn


def make_pad_mask(lengths, max_len=None):
    max_len = max_len or int(lengths.max())
    mask = torch.zeros(lengths.size(0), max_len)
    for i, n in enumerate(lengths.tolist()):
        mask[i, n:] = 1.0
    return mask


class ConvModule(nn.Module):
    def __init__(self, channels, kernel_size=15, dropout=0.1):
        super().__init__()
        self.norm = nn.LayerNorm(channels)
        self.pointwise_in = nn.Conv1d(channels, 2 * channels, 1)
        self.depthwise = nn.Conv1d(channels, channels, kernel_size, padding=kernel_size // 2, groups=channels)
        self.bn = nn.BatchNorm1d(channels)
        self.pointwise_out = nn.Conv1d(channels, channels, 1)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, pad_mask):
        h = self.norm(x).masked_fill(pad_mask.bool().unsqueeze(-1), 0.0).transpose(1, 2)
        h = nn.functional.glu(self.pointwise_in(h), dim=1)
        h = self.pointwise_out(nn.functional.silu(self.bn(self.depthwise(h))))
        return x + self.dropout(h.transpose(1, 2))


class ConformerLite(nn.Module):
    def __init__(self, idim=80, d_model=144, nhead=4, num_blocks=2, vocab=32, dropout=0.1):
        super().__init__()
        self.frontend = nn.Sequential(nn.Linear(idim, d_model), nn.LayerNorm(d_model), nn.Dropout(dropout))
        self.attn_layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout, batch_first=True, norm_first=True)
            for _ in range(num_blocks)
        )
        self.conv_layers = nn.ModuleList(ConvModule(d_model, dropout=dropout) for _ in range(num_blocks))
        self.ctc_head = nn.Linear(d_model, vocab)

    def forward(self, feats, feat_lens):
        x = self.frontend(feats)
        pad_mask = make_pad_mask(feat_lens, x.size(1)).to(x.device)
        for attn, conv in zip(self.attn_layers, self.conv_layers):
            x = attn(x, src_key_padding_mask=pad_mask)  # expect: ML201
            x = conv(x, pad_mask)
        return self.ctc_head(x).log_softmax(-1), feat_lens


def ctc_step(model, feats, feat_lens, targets, target_lens, optimizer):
    log_probs, out_lens = model(feats, feat_lens)
    loss = nn.functional.ctc_loss(log_probs.transpose(0, 1), targets, out_lens, target_lens, blank=0, zero_infinity=True)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ConformerLite()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    feats = torch.randn(3, 120, 80)
    feat_lens = torch.tensor([120, 95, 60])
    targets = torch.randint(1, 32, (3, 20))
    target_lens = torch.tensor([20, 15, 9])
    print("ctc loss", round(ctc_step(model, feats, feat_lens, targets, target_lens, opt), 3))
    model.eval()
    with torch.no_grad():
        hyp = model(feats, feat_lens)[0].argmax(-1)
    print("greedy ids", tuple(hyp.shape))
