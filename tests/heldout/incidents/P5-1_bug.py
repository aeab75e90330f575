import torch
import torch.nn as nn


def length_to_mask(length, max_len=None):
    """Relative lengths (0..1] are scaled by max_len; returns True for valid frames."""
    max_len = max_len or int(length.max().item())
    return torch.arange(max_len, device=length.device)[None, :] < length[:, None]


def get_lookahead_mask(padded_input):
    seq_len = padded_input.shape[1]
    return torch.triu(torch.ones(seq_len, seq_len, dtype=torch.bool, device=padded_input.device), diagonal=1)


class TransformerASR(nn.Module):
    def __init__(self, input_size=6, tgt_vocab=20, d_model=8, nhead=2, num_layers=1, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.custom_src_module = nn.Linear(input_size, d_model)
        self.custom_tgt_module = nn.Embedding(tgt_vocab, d_model)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d_model, nhead, 16, batch_first=True), num_layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 16, batch_first=True), num_layers)
        self.out = nn.Linear(d_model, tgt_vocab)

    def encode(self, src, wav_len):
        abs_len = torch.round(wav_len * src.shape[1])
        src_key_padding_mask = ~length_to_mask(abs_len, src.shape[1])
        return self.encoder(self.custom_src_module(src), src_key_padding_mask=src_key_padding_mask)

    def decode(self, tgt, encoder_out, enc_len=None):
        """Used by the beam searcher: one decoder pass over the hypotheses decoded so far."""
        tgt_mask = get_lookahead_mask(tgt)
        tgt = self.custom_tgt_module(tgt)
        prediction = self.decoder(tgt, encoder_out, tgt_mask=tgt_mask)  # BUG: encoder padding not masked in cross-attention
        return self.out(prediction)


def run():
    model = TransformerASR()
    model.eval()
    feats = torch.randn(2, 6, 6)
    wav_len = torch.tensor([1.0, 0.5])  # second utterance has 3 valid frames
    hyps = torch.tensor([[1, 4, 7], [1, 5, 9]])
    with torch.no_grad():
        enc = model.encode(feats, wav_len)
        return model.decode(hyps, enc, enc_len=torch.round(wav_len * feats.shape[1]))
