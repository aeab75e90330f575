"""Character-level language model built from seq-first nn.MultiheadAttention blocks
(a small user model of the kind discussed on pytorch/pytorch issue 21518)."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

SEQ_LEN = 8
VOCAB = 40


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len).unsqueeze(1).float()
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(1))

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class Block(nn.Module):
    def __init__(self, d_model, nhead):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead)
        self.ln1 = nn.LayerNorm(d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, attn_mask):
        h = self.ln1(x)
        a, w = self.attn(h, h, h, attn_mask=attn_mask)  # BUG
        x = x + a
        return x + self.mlp(self.ln2(x))


class CharLM(nn.Module):
    def __init__(self, d_model=32, nhead=4, nlayers=2):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, d_model)
        self.pos = PositionalEncoding(d_model)
        self.blocks = nn.ModuleList([Block(d_model, nhead) for _ in range(nlayers)])
        self.head = nn.Linear(d_model, VOCAB)

    def forward(self, src):
        # src: [seq_len, batch]
        seq_len = src.size(0)
        attn_mask = torch.tril(torch.ones(seq_len, seq_len))  # BUG
        x = self.pos(self.embed(src))
        for blk in self.blocks:
            x = blk(x, attn_mask)
        return self.head(x)


def get_batch(data, i, bsz=4):
    chunk = data[i: i + (SEQ_LEN + 1) * bsz].view(bsz, SEQ_LEN + 1).t()
    return chunk[:-1], chunk[1:]


if __name__ == "__main__":
    torch.manual_seed(0)
    data = torch.randint(0, VOCAB, (400,))
    model = CharLM()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for step in range(2):
        src, tgt = get_batch(data, step * 36)
        logits = model(src)
        loss = F.cross_entropy(logits.view(-1, VOCAB), tgt.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(step, loss.item())
