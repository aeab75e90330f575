"""speechbrain TransformerASR (excerpt): decode() is used by the beam
searcher on batches of padded encoder outputs."""
import torch
import torch.nn as nn


def make_transformer_tgt_mask(tgt):
    size = tgt.size(1)
    return torch.triu(torch.ones(size, size, dtype=torch.bool), diagonal=1)


def make_transformer_src_key_padding_mask(enc_out, wav_len):
    """wav_len: relative lengths in [0, 1]; True = padded frame."""
    abs_len = torch.round(wav_len * enc_out.shape[1])
    return torch.arange(enc_out.shape[1])[None, :] >= abs_len[:, None]


class TransformerASR(nn.Module):
    def __init__(self, d_model=16, nhead=2, tgt_vocab=20):
        super().__init__()
        self.custom_tgt_module = nn.Embedding(tgt_vocab, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 32, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers=2)

    def decode(self, tgt, encoder_out, enc_len=None):
        tgt_mask = make_transformer_tgt_mask(tgt)
        tgt = self.custom_tgt_module(tgt)
        prediction = self.decoder(tgt, encoder_out, tgt_mask=tgt_mask)  # BUG
        return prediction


if __name__ == "__main__":
    torch.manual_seed(0)
    asr = TransformerASR().eval()
    enc = torch.randn(2, 10, 16)
    wav_lens = torch.tensor([1.0, 0.6])
    tokens = torch.randint(0, 20, (2, 4))
    enc2 = enc.clone(); enc2[1, 6:] = torch.randn(4, 16) * 10
    with torch.no_grad():
        a = asr.decode(tokens, enc, wav_lens)
        b = asr.decode(tokens, enc2, wav_lens)
    print("hypothesis change from encoder padding content:", (a[1] - b[1]).abs().max().item())
