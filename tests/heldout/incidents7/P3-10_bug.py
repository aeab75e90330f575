"""Encoder-decoder Transformer in the style of hyunwoongko/transformer: separate
ScaleDotProductAttention / MultiHeadAttention classes and make_src_mask / make_trg_mask helpers."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class ScaleDotProductAttention(nn.Module):
    def forward(self, q, k, v, mask=None):
        d_tensor = k.size(-1)
        score = (q @ k.transpose(2, 3)) / math.sqrt(d_tensor)
        if mask is not None:
            score = score.masked_fill(mask == 0, -10000)
        score = torch.softmax(score, dim=-1)
        return score @ v, score


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.n_head = n_head
        self.attention = ScaleDotProductAttention()
        self.w_q, self.w_k, self.w_v = nn.Linear(d_model, d_model), nn.Linear(d_model, d_model), nn.Linear(d_model, d_model)
        self.w_concat = nn.Linear(d_model, d_model)

    def split(self, t):
        b, l, d = t.size()
        return t.view(b, l, self.n_head, d // self.n_head).transpose(1, 2)

    def forward(self, q, k, v, mask=None):
        q, k, v = self.split(self.w_q(q)), self.split(self.w_k(k)), self.split(self.w_v(v))
        out, _ = self.attention(q, k, v, mask=mask)
        b, h, l, d = out.size()
        return self.w_concat(out.transpose(1, 2).contiguous().view(b, l, h * d))


class DecoderLayer(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.self_attention = MultiHeadAttention(d_model, n_head)
        self.enc_dec_attention = MultiHeadAttention(d_model, n_head)
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d_model), nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, 64), nn.ReLU(), nn.Linear(64, d_model))

    def forward(self, dec, enc, trg_mask, src_mask):
        x = self.norm1(dec + self.self_attention(dec, dec, dec, mask=trg_mask))
        x = self.norm2(x + self.enc_dec_attention(x, enc, enc, mask=src_mask))
        return self.norm3(x + self.ffn(x))


class Transformer(nn.Module):
    def __init__(self, src_pad_idx, trg_pad_idx, voc_size=60, d_model=32, n_head=4):
        super().__init__()
        self.src_pad_idx, self.trg_pad_idx = src_pad_idx, trg_pad_idx
        self.src_emb = nn.Embedding(voc_size, d_model, padding_idx=src_pad_idx)
        self.trg_emb = nn.Embedding(voc_size, d_model, padding_idx=trg_pad_idx)
        self.enc_attention = MultiHeadAttention(d_model, n_head)
        self.enc_norm = nn.LayerNorm(d_model)
        self.decoder = DecoderLayer(d_model, n_head)
        self.linear = nn.Linear(d_model, voc_size)

    def make_src_mask(self, src):
        return (src != self.src_pad_idx).unsqueeze(1).unsqueeze(3)  # BUG

    def make_trg_mask(self, trg):
        trg_pad_mask = (trg != self.trg_pad_idx).unsqueeze(1).unsqueeze(3)  # BUG
        trg_len = trg.shape[1]
        trg_sub_mask = torch.tril(torch.ones(trg_len, trg_len)).type(torch.ByteTensor)
        return trg_pad_mask & trg_sub_mask

    def forward(self, src, trg):
        src_mask = self.make_src_mask(src)
        trg_mask = self.make_trg_mask(trg)
        s = self.src_emb(src)
        enc_src = self.enc_norm(s + self.enc_attention(s, s, s, mask=src_mask))
        output = self.decoder(self.trg_emb(trg), enc_src, trg_mask, src_mask)
        return self.linear(output)


if __name__ == "__main__":
    torch.manual_seed(0)
    pad = 1
    model = Transformer(src_pad_idx=pad, trg_pad_idx=pad)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    src = torch.tensor([[5, 6, 7, 8, pad, pad], [9, 10, 11, 12, 13, 14]])
    trg = torch.tensor([[2, 20, 21, 3, pad, pad, pad], [2, 30, 31, 32, 33, 34, 3]])
    output = model(src, trg[:, :-1])
    loss = F.cross_entropy(output.reshape(-1, output.shape[-1]), trg[:, 1:].reshape(-1), ignore_index=pad)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print("loss", loss.item())
