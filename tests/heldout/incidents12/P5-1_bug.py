import torch
import torch.nn as nn


def length_to_mask(length, max_len=None, dtype=None):
    assert len(length.shape) == 1
    if max_len is None:
        max_len = length.max().long().item()
    mask = torch.arange(max_len, device=length.device, dtype=length.dtype).expand(len(length), max_len) < length.unsqueeze(1)
    return torch.as_tensor(mask, dtype=dtype if dtype is not None else length.dtype)


class TransformerASR(nn.Module):
    def __init__(self, input_size=20, tgt_vocab=30, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.custom_src_module = nn.Linear(input_size, d_model)
        self.custom_tgt_module = nn.Embedding(tgt_vocab, d_model)
        enc = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0)
        dec = nn.TransformerDecoderLayer(d_model, nhead, 64, dropout=0.0)
        self.encoder = nn.TransformerEncoder(enc, num_layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, num_layers)

    def encode(self, src, wav_len=None):
        src_key_padding_mask = None
        if wav_len is not None:
            abs_len = torch.round(wav_len * src.shape[1])
            src_key_padding_mask = ~length_to_mask(abs_len, src.shape[1]).bool()
        src = self.custom_src_module(src).transpose(0, 1)
        return self.encoder(src, src_key_padding_mask=src_key_padding_mask)

    def decode(self, tgt, encoder_out, enc_len=None):
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.shape[1])
        src_key_padding_mask = None
        if enc_len is not None:
            src_key_padding_mask = (1 - length_to_mask(enc_len, encoder_out.shape[0])).bool()
        tgt = self.custom_tgt_module(tgt).transpose(0, 1)
        prediction = self.decoder(tgt, encoder_out, tgt_mask=tgt_mask)  # BUG
        return prediction.transpose(0, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    asr = TransformerASR().eval()
    feats = torch.randn(2, 12, 20)
    wav_lens = torch.tensor([1.0, 0.5])
    hyps = torch.randint(1, 30, (2, 4))
    with torch.no_grad():
        enc_out = asr.encode(feats, wav_lens)
        enc_len = torch.round(wav_lens * enc_out.shape[0])
        a = asr.decode(hyps, enc_out, enc_len)
        enc_out2 = enc_out.clone()
        enc_out2[6:, 1] = torch.randn(6, 32)
        b = asr.decode(hyps, enc_out2, enc_len)
    print(f"beam step for short utterance: change when encoder pad frames change = {(a[1] - b[1]).abs().max().item():.4f}")
