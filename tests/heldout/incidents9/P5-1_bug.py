import torch
from torch import nn


def get_lookahead_mask(padded_input):
    seq_len = padded_input.shape[1]
    mask = (torch.triu(torch.ones((seq_len, seq_len), device=padded_input.device)) == 1).transpose(0, 1)
    return mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, 0.0)


def make_key_padding_mask(wav_len, max_len):
    """wav_len: relative lengths in [0, 1] (SpeechBrain convention) -> (B, T) bool, True = padding."""
    abs_len = torch.round(wav_len * max_len)
    return torch.arange(max_len)[None, :] >= abs_len[:, None]


class TransformerASR(nn.Module):
    def __init__(self, d_model=32, nhead=4, tgt_vocab=20):
        super().__init__()
        self.custom_tgt_module = nn.Embedding(tgt_vocab, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 64, 0.0, batch_first=True), 2)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 64, 0.0, batch_first=True), 2)

    def encode(self, src, wav_len):
        src_key_padding_mask = make_key_padding_mask(wav_len, src.shape[1])
        return self.encoder(src, src_key_padding_mask=src_key_padding_mask)

    def decode(self, tgt, encoder_out, enc_len=None):
        """Used step by step by S2STransformerBeamSearch."""
        tgt_mask = get_lookahead_mask(tgt)
        tgt = self.custom_tgt_module(tgt)
        return self.decoder(tgt, encoder_out, tgt_mask=tgt_mask)  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    asr = TransformerASR().eval()
    feats = torch.randn(3, 10, 32)
    wav_len = torch.tensor([1.0, 0.6, 0.3])
    hyps = torch.randint(0, 20, (3, 4))
    with torch.no_grad():
        enc = asr.encode(feats, wav_len)
        batched = asr.decode(hyps, enc, enc_len=wav_len)
        alone = asr.decode(hyps[2:], asr.encode(feats[2:, :3], torch.tensor([1.0])), enc_len=torch.tensor([1.0]))
    print(batched.shape)
    print("utterance 2, batched beam step vs alone:", (batched[2] - alone[0]).abs().max().item())
