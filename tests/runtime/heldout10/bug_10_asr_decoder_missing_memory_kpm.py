# EXPECT: bug the attention-based ASR decoder calls nn.TransformerDecoder without memory_key_padding_mask, so cross-attention attends to the padded encoder frames of shorter utterances.
"""Speech recognizer (conv front end + Transformer encoder/decoder) in the style of speechbrain TransformerASR."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def length_to_mask(lengths, max_len):
    return torch.arange(max_len).unsqueeze(0) >= lengths.unsqueeze(1)


class ConvFrontEnd(nn.Module):
    def __init__(self, n_mels, d_model):
        super().__init__()
        self.conv = nn.Conv1d(n_mels, d_model, kernel_size=3, stride=2, padding=1)

    def forward(self, feats, lengths):
        x = F.relu(self.conv(feats.transpose(1, 2))).transpose(1, 2)
        return x, (lengths + 1) // 2


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        pos = torch.arange(max_len).unsqueeze(1).float()
        div = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe.unsqueeze(0), persistent=False)

    def forward(self, x):
        return self.pe[:, : x.size(1)]


class TransformerASR(nn.Module):
    def __init__(self, n_mels=20, d_model=32, nhead=4, num_encoder_layers=2, num_decoder_layers=2, d_ffn=64, dropout=0.1, vocab=30, pad_index=0, bos_index=1):
        super().__init__()
        self.pad_index = pad_index
        self.bos_index = bos_index
        self.frontend = ConvFrontEnd(n_mels, d_model)
        self.pos = PositionalEncoding(d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, d_ffn, dropout, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, num_encoder_layers, norm=nn.LayerNorm(d_model), enable_nested_tensor=False)
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, d_ffn, dropout, batch_first=True, norm_first=True)
        self.decoder = nn.TransformerDecoder(dec_layer, num_decoder_layers, norm=nn.LayerNorm(d_model))
        self.custom_tgt_module = nn.Embedding(vocab, d_model, padding_idx=pad_index)
        self.ctc_lin = nn.Linear(d_model, vocab)
        self.seq_lin = nn.Linear(d_model, vocab)

    def encode(self, feats, wav_lens):
        x, enc_lens = self.frontend(feats, wav_lens)
        src_key_padding_mask = length_to_mask(enc_lens, x.size(1))
        x = x + self.pos(x)
        enc = self.encoder(x, src_key_padding_mask=src_key_padding_mask)
        return enc, src_key_padding_mask

    def decode(self, tgt, enc, src_key_padding_mask):
        T = tgt.size(1)
        tgt_mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
        tgt_key_padding_mask = tgt == self.pad_index
        tgt_key_padding_mask[:, 0] = False
        y = self.custom_tgt_module(tgt)
        y = y + self.pos(y)
        out = self.decoder(y, enc, tgt_mask=tgt_mask, tgt_key_padding_mask=tgt_key_padding_mask)  # BUG-SITE
        return self.seq_lin(out)

    def forward(self, feats, wav_lens, tgt):
        enc, pad_mask = self.encode(feats, wav_lens)
        return self.ctc_lin(enc), self.decode(tgt, enc, pad_mask), pad_mask

    @torch.no_grad()
    def greedy_decode(self, feats, wav_lens, max_len=5):
        enc, pad_mask = self.encode(feats, wav_lens)
        hyp = torch.full((feats.size(0), 1), self.bos_index)
        for _ in range(max_len):
            logits = self.decode(hyp, enc, pad_mask)
            hyp = torch.cat([hyp, logits[:, -1].argmax(-1, keepdim=True)], 1)
        return hyp, logits


def run():
    torch.manual_seed(0)
    model = TransformerASR()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    feats = torch.randn(3, 16, 20)
    wav_lens = torch.tensor([16, 9, 12])
    for i, n in enumerate(wav_lens.tolist()):
        feats[i, n:] = 0.0
    tokens = torch.tensor([[1, 5, 7, 9, 2], [1, 4, 2, 0, 0], [1, 8, 3, 2, 0]])
    model.train()
    ctc_logits, seq_logits, pad_mask = model(feats, wav_lens, tokens[:, :-1])
    enc_lens = (~pad_mask).sum(1)
    tgt = tokens[:, 1:]
    tgt_lens = (tgt != 0).sum(1)
    ctc = F.ctc_loss(ctc_logits.log_softmax(-1).transpose(0, 1), tgt, enc_lens, tgt_lens, blank=0, zero_infinity=True)
    ce = F.cross_entropy(seq_logits.reshape(-1, seq_logits.size(-1)), tgt.reshape(-1), ignore_index=0, label_smoothing=0.1)
    loss = 0.3 * ctc + 0.7 * ce
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    hyp, logits = model.greedy_decode(feats, wav_lens)
    return [loss.detach(), *grads, hyp, logits]
