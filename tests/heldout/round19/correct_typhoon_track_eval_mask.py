"""Western-Pacific typhoon intensity/track model (nn.Transformer seq2seq). Both the training step and the
validation pass build the square subsequent mask for the decoder."""
import torch
import torch.nn as nn

FEATS = 6  # lat, lon, vmax, mslp, r34, sst under the centre


class TyphoonSeq2Seq(nn.Module):
    def __init__(self, d_model=64, nhead=4, layers=2, horizon=8):
        super().__init__()
        self.horizon = horizon
        self.enc_in = nn.Linear(FEATS, d_model)
        self.dec_in = nn.Linear(FEATS, d_model)
        self.lead = nn.Embedding(64, d_model)
        self.tf = nn.Transformer(d_model, nhead, layers, layers, 2 * d_model, dropout=0.1, batch_first=True)
        self.head = nn.Linear(d_model, FEATS)

    def forward(self, history, teacher):
        T = teacher.size(1)
        causal = self.tf.generate_square_subsequent_mask(T, device=teacher.device)
        src = self.enc_in(history) + self.lead(torch.arange(history.size(1), device=history.device))
        tgt = self.dec_in(teacher) + self.lead(torch.arange(T, device=teacher.device))
        return self.head(self.tf(src, tgt, tgt_mask=causal, tgt_is_causal=True))


def shift_right(history, future):
    return torch.cat([history[:, -1:], future[:, :-1]], dim=1)


def train_step(model, history, future, opt):
    model.train()
    loss = nn.functional.smooth_l1_loss(model(history, shift_right(history, future)), future)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


@torch.no_grad()
def validate(model, history, future):
    model.eval()
    return nn.functional.smooth_l1_loss(model(history, shift_right(history, future)), future).item()


if __name__ == "__main__":
    hist = torch.randn(4, 12, FEATS)
    fut = torch.randn(4, 8, FEATS)
    net = TyphoonSeq2Seq()
    print(train_step(net, hist, fut, torch.optim.AdamW(net.parameters(), 1e-3)), validate(net, hist, fut))
