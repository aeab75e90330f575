"""Transformer ASR in the style of speechbrain (TransformerASR with encode/decode and a
batched greedy/beam searcher): nn.TransformerDecoder over padded encoder outputs."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_lookahead_mask(padded_input):
    seq_len = padded_input.shape[1]
    return torch.triu(torch.ones(seq_len, seq_len, dtype=torch.bool), diagonal=1)


def make_pad_mask(wav_len, max_len):
    abs_len = torch.round(wav_len * max_len)
    return torch.arange(max_len)[None, :] >= abs_len[:, None]


class TransformerASR(nn.Module):
    def __init__(self, input_size=20, d_model=32, nhead=4, num_layers=2, vocab=30):
        super().__init__()
        self.custom_src_module = nn.Linear(input_size, d_model)
        self.custom_tgt_module = nn.Embedding(vocab, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec_layer, num_layers)
        self.out = nn.Linear(d_model, vocab)

    def encode(self, src, wav_len):
        src_key_padding_mask = make_pad_mask(wav_len, src.shape[1])
        return self.encoder(self.custom_src_module(src), src_key_padding_mask=src_key_padding_mask)

    def forward(self, src, tgt, wav_len):
        src_key_padding_mask = make_pad_mask(wav_len, src.shape[1])
        encoder_out = self.encoder(self.custom_src_module(src), src_key_padding_mask=src_key_padding_mask)
        tgt_mask = get_lookahead_mask(tgt)
        dec = self.decoder(self.custom_tgt_module(tgt), encoder_out, tgt_mask=tgt_mask, memory_key_padding_mask=src_key_padding_mask)
        return self.out(dec)

    def decode(self, tgt, encoder_out, enc_len=None):
        tgt_mask = get_lookahead_mask(tgt)
        prediction = self.decoder(self.custom_tgt_module(tgt), encoder_out, tgt_mask=tgt_mask)  # BUG
        return self.out(prediction)


@torch.no_grad()
def greedy_search(model, encoder_out, enc_len, bos=1, max_steps=5):
    hyps = torch.full((encoder_out.shape[0], 1), bos, dtype=torch.long)
    for _ in range(max_steps):
        logits = model.decode(hyps, encoder_out, enc_len)
        hyps = torch.cat([hyps, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return hyps


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerASR()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    feats = torch.randn(3, 20, 20)
    wav_len = torch.tensor([1.0, 0.6, 0.8])
    tokens = torch.randint(2, 30, (3, 6))
    logits = model(feats, tokens[:, :-1], wav_len)
    loss = F.cross_entropy(logits.reshape(-1, 30), tokens[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("train loss", loss.item())
    model.eval()
    with torch.no_grad():
        enc = model.encode(feats, wav_len)
        print(greedy_search(model, enc, wav_len))
