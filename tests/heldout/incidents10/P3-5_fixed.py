"""Reproducer-style script (pytorch#115472): batch_first nn.Transformer LM
whose causal mask is sized from the first input dimension.  Training used
batch == seq_len by coincidence; eval with another batch size makes torch
raise (RuntimeError on the mask shape)."""
import torch
from torch import nn


class Seq2Seq(nn.Module):
    def __init__(self, vocab=30, d_model=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.transformer = nn.Transformer(d_model, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                                          dim_feedforward=32, dropout=0.0, batch_first=True)
        self.fc = nn.Linear(d_model, vocab)

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.shape[1])
        out = self.transformer(self.emb(src), self.emb(tgt), tgt_mask=tgt_mask)
        return self.fc(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2Seq()
    src = torch.randint(1, 30, (4, 4))
    tgt = torch.randint(1, 30, (4, 4))  # batch 4, length 4
    model.train(); model(src, tgt)
    model.eval()
    tgt = torch.randint(1, 30, (2, 4))
    tgt2 = tgt.clone(); tgt2[:, -1] = 7
    with torch.no_grad():
        a, b = model(src[:2], tgt), model(src[:2], tgt2)
    print("eval prefix change when last target token changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
