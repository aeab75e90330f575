import torch
import torch.nn as nn


def make_src_key_padding_mask(src: torch.Tensor, wav_len: torch.Tensor) -> torch.Tensor:
    """wav_len holds relative lengths in (0, 1]; returns (B, T) bool, True = padded frame."""
    abs_len = torch.round(wav_len * src.shape[1]).long()
    return torch.arange(src.shape[1], device=src.device)[None, :] >= abs_len[:, None]


class TransformerASR(nn.Module):
    def __init__(self, n_mels=40, vocab=30, d_model=64, nhead=4, layers=2, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.custom_src_module = nn.Linear(n_mels, d_model)
        self.custom_tgt_module = nn.Embedding(vocab, d_model)
        enc = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, batch_first=True)
        dec = nn.TransformerDecoderLayer(d_model, nhead, 4 * d_model, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, layers)
        self.out = nn.Linear(d_model, vocab)

    def encode(self, src, wav_len):
        src_kpm = make_src_key_padding_mask(src, wav_len)
        return self.encoder(self.custom_src_module(src), src_key_padding_mask=src_kpm)

    def decode(self, tgt, encoder_out, wav_len=None):
        """One decoding step for (batched) beam search: tgt holds the hypotheses so far."""
        t = tgt.size(1)
        tgt_mask = torch.triu(torch.ones(t, t, dtype=torch.bool, device=tgt.device), diagonal=1)
        h = self.decoder(self.custom_tgt_module(tgt), encoder_out, tgt_mask=tgt_mask)  # BUG
        return self.out(h[:, -1]).log_softmax(-1)


@torch.no_grad()
def greedy_search(model, feats, wav_len, bos=1, max_len=6):
    enc = model.encode(feats, wav_len)
    hyps = torch.full((feats.size(0), 1), bos, dtype=torch.long)
    for _ in range(max_len):
        next_tok = model.decode(hyps, enc, wav_len).argmax(-1, keepdim=True)
        hyps = torch.cat([hyps, next_tok], dim=1)
    return hyps


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerASR().eval()
    feats = torch.randn(2, 50, 40)
    wav_len = torch.tensor([1.0, 0.6])
    feats[1, 30:] = 0.0  # padding of the shorter utterance
    with torch.no_grad():
        bos = torch.ones(2, 1, dtype=torch.long)
        step_batched = model.decode(bos, model.encode(feats, wav_len), wav_len)[1]
        step_alone = model.decode(bos[:1], model.encode(feats[1:, :30], torch.tensor([1.0])), torch.tensor([1.0]))[0]
    print("first-step log-prob gap, batched vs alone:", (step_batched - step_alone).abs().max().item())
    print("hypotheses:", greedy_search(model, feats, wav_len).tolist())
