"""Transformer for ASR in the SpeechBrain style: encoder over features, decoder over tokens."""
import torch
import torch.nn as nn


def length_to_mask(length, max_len=None):
    """Relative lengths -> bool mask, True for the valid frames."""
    if max_len is None:
        max_len = int(length.max().item())
    return torch.arange(max_len, device=length.device)[None, :] < length[:, None]


def get_lookahead_mask(padded_input):
    seq_len = padded_input.shape[1]
    mask = (torch.triu(torch.ones((seq_len, seq_len), device=padded_input.device)) == 1).transpose(0, 1)
    return mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, float(0.0))


class TransformerASR(nn.Module):
    def __init__(self, input_size=20, tgt_vocab=30, d_model=32, nhead=4, num_layers=2, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.custom_src_module = nn.Linear(input_size, d_model)
        self.custom_tgt_module = nn.Embedding(tgt_vocab, d_model)
        enc = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        dec = nn.TransformerDecoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, num_layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, num_layers)
        self.out = nn.Linear(d_model, tgt_vocab)

    def make_masks(self, src, tgt, wav_len):
        abs_len = torch.round(wav_len * src.shape[1])
        src_key_padding_mask = ~length_to_mask(abs_len, src.shape[1])
        tgt_key_padding_mask = tgt == self.pad_idx
        tgt_mask = get_lookahead_mask(tgt).isinf()
        return src_key_padding_mask, tgt_key_padding_mask, tgt_mask

    def encode(self, src, wav_len):
        src_key_padding_mask = ~length_to_mask(torch.round(wav_len * src.shape[1]), src.shape[1])
        return self.encoder(self.custom_src_module(src), src_key_padding_mask=src_key_padding_mask)

    def forward(self, src, tgt, wav_len):
        src_kpm, tgt_kpm, tgt_mask = self.make_masks(src, tgt, wav_len)
        encoder_out = self.encoder(self.custom_src_module(src), src_key_padding_mask=src_kpm)
        decoder_out = self.decoder(self.custom_tgt_module(tgt), encoder_out, tgt_mask=tgt_mask,
                                   tgt_key_padding_mask=tgt_kpm, memory_key_padding_mask=src_kpm)
        return self.out(decoder_out)

    @torch.no_grad()
    def decode(self, tgt, encoder_out, enc_len=None):
        """One step of (batched) beam search: tgt holds the hypotheses decoded so far."""
        tgt_mask = get_lookahead_mask(tgt).isinf()
        prediction = self.decoder(self.custom_tgt_module(tgt), encoder_out, tgt_mask=tgt_mask)  # BUG: no memory_key_padding_mask: hypotheses of short utterances attend to the padded encoder frames
        return self.out(prediction)
